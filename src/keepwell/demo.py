"""The demo shop: Fernhill Pottery, a small ceramics studio selling online and running classes.

Everything is created through the same actions people use, with the clock set back, so the
demo's history looks like a real desk's: the same events, numbers and search index.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from keepwell.accounts.actions import create_agent, create_team
from keepwell.accounts.models import AgentProfile, Role
from keepwell.commitments.actions import keep_commitment
from keepwell.core.clock import travel
from keepwell.customers.actions import find_or_create_contact
from keepwell.customers.models import Channel, Contact, DetailLevel, Organisation
from keepwell.offers.actions import DeclineChoice
from keepwell.offers.demo_data import load_catalogue
from keepwell.offers.models import Offer, Partner
from keepwell.tickets import actions
from keepwell.tickets.models import CannedReply, Priority, Status, Ticket

PASSWORD = "fernhill-demo"  # noqa: S105 - the demo shop's published sign-in
AGENTS = [
    (
        "alex@fernhill.example",
        "Alex Morgan",
        Role.OWNER,
        ["Orders & Shipping", "Classes & Bookings"],
    ),
    ("priya@fernhill.example", "Priya Shah", Role.AGENT, ["Orders & Shipping"]),
    ("sam@fernhill.example", "Sam Okafor", Role.AGENT, ["Classes & Bookings"]),
]
TEAMS = {
    "Orders & Shipping": "Orders, deliveries, breakages, returns and invoices.",
    "Classes & Bookings": "Wheel-throwing classes, gift vouchers and studio visits.",
}
FIRST = [
    "Olivia",
    "Jack",
    "Amelia",
    "Noah",
    "Isla",
    "Leo",
    "Ava",
    "Oscar",
    "Mia",
    "Arthur",
    "Grace",
    "Muhammad",
    "Freya",
    "Harry",
    "Lily",
    "George",
    "Emily",
    "Theo",
    "Sophie",
    "Ethan",
    "Chloe",
    "Lucas",
    "Ruby",
    "Finley",
    "Hannah",
    "Aisha",
    "Tom",
    "Nadia",
    "Carlos",
    "Ingrid",
    "Mateo",
    "Yuki",
    "Wei",
    "Fatima",
    "Lars",
    "Elena",
    "Kofi",
    "Maeve",
    "Ravi",
    "Zofia",
]
LAST = [
    "Bennett",
    "Clarke",
    "Patel",
    "Nguyen",
    "Hughes",
    "Murphy",
    "Kowalski",
    "Rossi",
    "Evans",
    "Khan",
    "Lindqvist",
    "O'Brien",
    "Fischer",
    "Adeyemi",
    "Tanaka",
    "Walsh",
    "Moreau",
    "Silva",
    "Jensen",
    "Novak",
]
ORGS = ["Brindle Café", "Northgate Primary School", "The Loft Interiors", "Hawthorn Hotel"]


@dataclass(frozen=True)
class Scenario:
    team: str
    subject: str
    opening: str
    reply: str
    follow_up: str = ""
    closing: str = ""
    priority: int = Priority.NORMAL
    tags: tuple[str, ...] = ()
    promise: tuple[str, int] | None = None  # what the reply promises, and in how many hours
    # The reply declines: (topic, offer suggested instead, partner referred to), by name.
    decline: tuple[str, str, str] | None = None


SCENARIOS = [
    Scenario(
        "Orders & Shipping",
        "Where is my order {order}?",
        "Hi, I ordered the speckled mugs (set of four) on {day} and haven't had a dispatch "
        "e-mail yet. Order {order}. Could you tell me when it will arrive?",
        "Hi {first}, thank you for your patience. Your mugs were glazed on Monday and left "
        "the studio this morning with Royal Mail Tracked 48; the tracking number is "
        "{tracking}. You should have them by Thursday.",
        "Brilliant, thank you!",
        "",
        Priority.NORMAL,
        ("delivery",),
    ),
    Scenario(
        "Orders & Shipping",
        "Bowl arrived broken",
        "The large serving bowl arrived in three pieces. The box looked fine from the "
        "outside. I've attached nothing yet but can send photos. What can you do?",
        "I'm so sorry, {first} — that is a horrible thing to unpack. Please send one photo "
        "of the pieces and the box, and I'll send a replacement bowl today; no need to "
        "return the broken one.",
        "Photos sent. Thanks for being so quick about it.",
        "Thank you, {first}. The replacement left today, double-boxed: tracking {tracking}.",
        Priority.HIGH,
        ("breakage",),
        promise=("Send a replacement bowl", 8),
    ),
    Scenario(
        "Orders & Shipping",
        "Can I change the delivery address?",
        "I just placed order {order} but put my old address. Can you send it to 14 Mill "
        "Lane, Hebden Bridge HX7 8AB instead?",
        "Done, {first}: order {order} will go to 14 Mill Lane, Hebden Bridge HX7 8AB. It "
        "hasn't been packed yet, so nothing else changes.",
        "",
        "",
        Priority.HIGH,
        ("address-change",),
    ),
    Scenario(
        "Orders & Shipping",
        "VAT invoice for order {order}",
        "Could I please have a VAT invoice for order {order}? It's for {org}.",
        "Of course — the VAT invoice for order {order}, made out to {org}, is attached to "
        "this message. Let me know if the address on it needs changing.",
        "",
        "",
        Priority.LOW,
        ("invoice",),
        promise=("Send the VAT invoice", 4),
    ),
    Scenario(
        "Orders & Shipping",
        "Return a vase",
        "The green vase is lovely but too tall for my shelf. Can I return it?",
        "Yes, {first}: you have 30 days from delivery. Wrap it well, send it to Fernhill "
        "Pottery, Unit 3, Dale Street, Todmorden OL14 5PT, and reply here with the tracking "
        "number. The refund goes back to your card within 3 working days of it arriving.",
        "Posted it today, tracking {tracking}.",
        "It arrived safely and your refund is on its way. Thank you, {first}!",
        Priority.NORMAL,
        ("return",),
    ),
    Scenario(
        "Orders & Shipping",
        "Do you ship to Norway?",
        "Hei! Do you ship to Norway, and how much would two plates cost to send?",
        "Hello {first}! Yes, we ship to Norway with tracked international post. Two plates "
        "cost £18.50 to send and usually arrive in 5-7 working days. Import VAT is charged "
        "by the carrier on delivery.",
        "",
        "",
        Priority.LOW,
        ("international",),
    ),
    Scenario(
        "Orders & Shipping",
        "Wholesale order for our café",
        "We're opening a café and would love 40 of your everyday cups. Do you do trade prices?",
        "How exciting, {first}! For 40 cups we can offer 20% off retail. They're made to "
        "order, so they'd be ready in about 5 weeks. Shall I send a quote with two glaze "
        "options?",
        "Yes please, the oatmeal and the blue.",
        "",
        Priority.NORMAL,
        ("wholesale",),
        promise=("Send the wholesale quote", 30),
    ),
    Scenario(
        "Orders & Shipping",
        "Charged twice",
        "My card shows two payments of £42 for order {order}. Please refund one!",
        "You're right, {first} — the payment page timed out and took the payment twice. "
        "I've refunded the duplicate £42 just now; banks usually show it within 3-5 "
        "working days.",
        "",
        "",
        Priority.URGENT,
        ("payment",),
    ),
    Scenario(
        "Classes & Bookings",
        "Booking a taster class for two",
        "Hello! Do you have space for two on a Saturday taster class in {month}?",
        "Hi {first}, yes: Saturday the 14th at 10:00 has four places left. It's £45 each, "
        "two hours on the wheel, and we fire and glaze your best piece for collection two "
        "weeks later. Shall I book two places?",
        "Yes please, book us in!",
        "You're booked, {first}: two places, Saturday the 14th at 10:00. Wear clothes that "
        "can get muddy!",
        Priority.NORMAL,
        ("booking",),
    ),
    Scenario(
        "Classes & Bookings",
        "Gift voucher expired",
        "My partner gave me a voucher for a class but it expired last month. Is there "
        "anything you can do?",
        "Thank you for asking, {first}. Vouchers are valid for a year, but we're happy to "
        "extend yours by three months this once; I've updated it, so you can book any "
        "class until the end of {month}.",
        "That's so kind, thank you.",
        "",
        Priority.NORMAL,
        ("voucher",),
    ),
    Scenario(
        "Classes & Bookings",
        "Can't make Saturday's class",
        "I'm really sorry but I'm ill and can't make Saturday's class. Can I move it?",
        "Get well soon, {first}! I've moved you to the class two weeks later, same time. "
        "If that doesn't suit, reply with a date and I'll find you a place.",
        "",
        "",
        Priority.NORMAL,
        ("booking", "reschedule"),
    ),
    Scenario(
        "Classes & Bookings",
        "Private session for a hen party",
        "Could you host a private session for 8 people on a Friday evening?",
        "We'd love to, {first}. Private evening sessions for up to 10 people are £360 and "
        "run 18:30-21:00. Fridays in {month} are free except the 3rd. Which date would you "
        "like?",
        "The 17th please! Can we bring prosecco?",
        "The 17th is yours, and yes, bring the prosecco — we'll provide the glasses.",
        Priority.NORMAL,
        ("private-event",),
    ),
    Scenario(
        "Classes & Bookings",
        "Accessibility of the studio",
        "I use a wheelchair. Is the studio accessible and can I use a wheel?",
        "Yes, {first}: the studio is on the ground floor with a step-free entrance and an "
        "accessible toilet, and one of our wheels sits at table height. Tell us when you "
        "book and we'll have it ready for you.",
        "",
        "",
        Priority.NORMAL,
        ("accessibility",),
    ),
    Scenario(
        "Classes & Bookings",
        "When will my pot be ready?",
        "I made a bowl at the taster class three weeks ago. Is it ready to collect?",
        "It's out of the glaze firing and looks great, {first}! It's on the collection "
        "shelf; the studio is open Tuesday to Saturday, 10:00-17:00.",
        "Picked it up today, love it!",
        "",
        Priority.LOW,
        ("collection",),
    ),
    Scenario(
        "Orders & Shipping",
        "Fitting the tiles you made",
        "Hello, the twelve tiles you made for us are beautiful. Could one of you come and "
        "fit them above the kitchen sink as a splashback? We're in Hebden Bridge.",
        "Hello {first},\n\nI'm so glad you like the tiles. I'm sorry, but fitting tiles isn't "
        "something we offer: we make them, and we would rather not do a tiler's job half "
        "well. For fitting, I recommend Hearth & Tile Fitters, who are careful with handmade "
        "tiles. You can reach Dev Patel on 07700 900 303.\n\nIf they can't help you, reply "
        "to this message and we will look for another way.",
        decline=("Installing or fitting tiles", "", "Hearth & Tile Fitters"),
    ),
    Scenario(
        "Orders & Shipping",
        "Grandmother's vase",
        "My grandmother's Moorcroft vase has a crack down one side. Could you repair it? It "
        "means a lot to us.",
        "Hello {first},\n\nThank you for trusting us with something so precious. I'm sorry, "
        "but we only repair pieces we made ourselves, and an antique deserves a specialist. "
        "I recommend Mended & Gold: Hana restores porcelain of any maker. You can reach her "
        "at hello@mendedandgold.example or 01632 960 101.\n\nIf they can't help you, reply "
        "to this message and we will look for another way.",
        decline=("Antiques and valuable heirlooms", "", "Mended & Gold"),
    ),
    Scenario(
        "Classes & Bookings",
        "Class for my 10-year-old",
        "Do you have a class my daughter (10) could join? She loves clay.",
        "Hello {first},\n\nHow lovely that she loves clay! I'm sorry, but our classes are for "
        "adults and teenagers from 16. Little Clay Club runs classes and clay parties for "
        "children aged 5 to 15: bookings@littleclayclub.example or 01632 960 202. If you'd "
        "like to come along yourself, our two-hour taster is £45.",
        decline=("Classes for children under 16", "Wheel-throwing classes", "Little Clay Club"),
    ),
    Scenario(
        "Orders & Shipping",
        "Shipping to Germany?",
        "Hi! Do you deliver to Berlin? I'd love the speckled dinner set.",
        "Hello {first},\n\nThank you for thinking of us. I'm sorry, but we only deliver "
        "within the UK: our pots travel badly through long courier chains. If you have a "
        "friend or family member in the UK, we can send it to them and they could bring it "
        "over; reply here and I'll set that up.",
        decline=("Delivery outside the UK", "", ""),
    ),
]


def _contact_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in used:
            used.add(name)
            return name


@transaction.atomic
def load_demo(*, seed: int = 7, tickets: int = 200, contacts: int = 40) -> dict[str, object]:
    """Create the demo shop; returns the sign-in details. Raises if tickets already exist."""
    if Ticket.objects.exists():
        raise RuntimeError("This desk already has tickets; the demo only loads into an empty desk.")
    rng = random.Random(seed)
    teams = {name: create_team(actor=None, name=name, description=d) for name, d in TEAMS.items()}
    agents: dict[str, list[AgentProfile]] = {name: [] for name in TEAMS}
    for email, name, role, team_names in AGENTS:
        profile = create_agent(
            actor=None,
            email=email,
            display_name=name,
            password=PASSWORD,
            role=role,
            teams=[teams[t] for t in team_names],
            check_password=False,
        )
        for t in team_names:
            agents[t].append(profile)
    load_catalogue()
    organisations = [Organisation.objects.create(name=o) for o in ORGS]
    used: set[str] = set()
    people: list[Contact] = []
    for i in range(contacts):
        name = _contact_name(rng, used)
        email = f"{name.lower().replace(' ', '.').replace(chr(39), '')}@example.com"
        contact = find_or_create_contact(email=email, name=name)
        contact.detail_level = rng.choice(
            [DetailLevel.BRIEF, DetailLevel.STANDARD, DetailLevel.STANDARD, DetailLevel.DETAILED]
        )
        contact.organisation = organisations[i % len(organisations)] if i % 5 == 0 else None
        contact.language = "no" if i == 7 else "en"
        contact.save()
        people.append(contact)

    start = timezone.now() - timedelta(days=120)
    months = ["March", "April", "May", "June"]
    for n in range(tickets):
        scenario = rng.choice(SCENARIOS)
        contact = rng.choice(people)
        opened = _opened_at(n, tickets, start, rng)
        age = timezone.now() - opened
        fill = {
            "first": contact.name.split(" ")[0],
            "order": f"FH-{4100 + n}",
            "tracking": f"TT{rng.randint(10**8, 10**9)}GB",
            "day": opened.strftime("%A"),
            "month": rng.choice(months),
            "org": contact.organisation.name if contact.organisation else "our business",
        }
        _play(
            scenario, fill, contact, teams[scenario.team], agents[scenario.team], opened, age, rng
        )

    for title, body in CANNED:
        CannedReply.objects.create(title=title, body=body)
    return {"password": PASSWORD, "agents": demo_agents()}


def demo_agents() -> list[tuple[str, str, str]]:
    """E-mail, name and role of the demo shop's agents that exist in this desk."""
    profiles = AgentProfile.objects.filter(user__username__in=[a[0] for a in AGENTS])
    return [
        (p.user.email, p.display_name, p.get_role_display())
        for p in profiles.select_related("user").order_by("user__email")
    ]


def demo_is_loaded() -> bool:
    """True when the demo shop's owner account is in this desk."""
    return AgentProfile.objects.filter(user__username=AGENTS[0][0]).exists()


def _opened_at(n: int, total: int, start: datetime, rng: random.Random) -> datetime:
    """Spread tickets over four months, with the last dozen or so arriving in the past two days."""
    recent = max(8, total // 12)
    if n >= total - recent:
        hours_ago = 48 * (total - n) / recent
        return timezone.now() - timedelta(hours=hours_ago, minutes=rng.randint(0, 30))
    span = (timezone.now() - timedelta(days=2) - start).total_seconds()
    return start + timedelta(seconds=span * n / total + rng.randint(0, 600))


def _decline_choice(decline: tuple[str, str, str] | None) -> DeclineChoice | None:
    if decline is None:
        return None
    topic, offer, partner = decline
    return DeclineChoice(
        topic,
        Offer.objects.filter(name=offer).values_list("pk", flat=True).first(),
        Partner.objects.filter(name=partner).values_list("pk", flat=True).first(),
    )


def _play(
    scenario: Scenario,
    fill: dict[str, str],
    contact: Contact,
    team: object,
    team_agents: list[AgentProfile],
    opened: datetime,
    age: timedelta,
    rng: random.Random,
) -> None:
    """Replay one conversation at its own times; recent ones are left for the desk to answer."""
    agent = rng.choice(team_agents).user
    with travel(opened):
        ticket = actions.create_ticket(
            actor=None,
            contact=contact,
            subject=scenario.subject.format(**fill),
            body=scenario.opening.format(**fill),
            channel=rng.choice([Channel.EMAIL, Channel.EMAIL, Channel.WEB]),
            priority=scenario.priority,
            team=team,  # type: ignore[arg-type]
        )
    if age < timedelta(days=2) and rng.random() < 0.7:
        return  # new and unanswered
    at = opened + timedelta(minutes=rng.randint(20, 60 * 20))
    with travel(at):
        if scenario.tags:
            actions.set_tags(actor=agent, ticket=ticket, names=scenario.tags)
        waiting = bool(scenario.follow_up) and age < timedelta(days=6) and rng.random() < 0.5
        actions.reply_to_ticket(
            actor=agent,
            ticket=ticket,
            body=scenario.reply.format(**fill),
            seen_up_to=None,
            next_status=Status.WAITING if waiting or scenario.follow_up else Status.RESOLVED,
            notify=False,
            promise=(scenario.promise[0], at + timedelta(hours=scenario.promise[1]))
            if scenario.promise
            else None,
            decline=_decline_choice(scenario.decline),
        )
    if scenario.promise and rng.random() < 0.8:
        # Most promises were kept, some late; the rest are still open (some of them overdue).
        kept_at = at + timedelta(hours=rng.choice([1, 2, scenario.promise[1] + 3]))
        if kept_at < timezone.now():
            with travel(kept_at):
                for promise in ticket.commitments.filter(source="reply", state="open"):
                    keep_commitment(actor=agent, commitment=promise)
    if not scenario.follow_up or (age < timedelta(days=6) and rng.random() < 0.5):
        return
    at += timedelta(minutes=rng.randint(30, 60 * 30))
    with travel(at):
        actions.add_customer_message(
            contact=contact,
            ticket=ticket,
            body=scenario.follow_up.format(**fill),
            channel=Channel.EMAIL,
        )
    if age < timedelta(days=4):
        return  # the customer's answer awaits us
    at += timedelta(minutes=rng.randint(10, 60 * 8))
    with travel(at):
        if scenario.closing:
            actions.reply_to_ticket(
                actor=agent,
                ticket=ticket,
                body=scenario.closing.format(**fill),
                seen_up_to=None,
                next_status=Status.RESOLVED,
                notify=False,
            )
        else:
            actions.change_status(actor=agent, ticket=ticket, status=Status.RESOLVED)
    if age > timedelta(days=14):
        with travel(at + timedelta(days=7)):
            actions.change_status(actor=agent, ticket=ticket, status=Status.CLOSED)


CANNED = [
    (
        "Thanks, looking into it",
        "Hi {customer_name},\n\nThank you for getting in touch. I'm looking into this now and will "
        "write back by the end of today with what I find.\n\n{agent_name}",
    ),
    (
        "Returns: how to send it back",
        "Hi {customer_first_name},\n\nYou can return anything within 30 days of delivery. Wrap it "
        "well and send it to Fernhill Pottery, Unit 3, Dale Street, Todmorden OL14 5PT, then reply "
        "to this message (request #{ticket_number}) with the tracking number.\n\n{agent_name}",
    ),
    (
        "Breakage: photo please",
        "I'm sorry your piece arrived damaged, {customer_first_name}. Could you send one photo of "
        "the pieces and the box? As soon as it arrives I'll send a replacement — no need to return "
        "anything.\n\n{agent_name}",
    ),
    (
        "Class booking confirmed",
        "You're booked, {customer_first_name}! Classes start on the dot; wear clothes that can get "
        "muddy, and we provide aprons and tools.\n\n{agent_name}",
    ),
    (
        "Studio opening hours",
        "The studio is open Tuesday to Saturday, 10:00-17:00, at Unit 3, Dale Street, Todmorden.",
    ),
]
