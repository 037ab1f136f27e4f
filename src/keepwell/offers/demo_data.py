"""Fernhill Pottery's catalogue, policies and referral partners, for the demo shop and tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

DAY = timedelta(hours=7, minutes=30)  # one business day of the default calendar (7½ open hours)

OFFERS: list[dict[str, Any]] = [
    {
        "name": "Handmade tableware",
        "summary": "Mugs, bowls, plates and jugs from the online shop, thrown and glazed here.",
        "description": (
            "Everything in the shop is made in the Fernhill studio in small batches. "
            "Each piece is food safe, dishwasher and microwave safe unless marked otherwise."
        ),
        "price_amount": Decimal("18.00"),
        "price_note": "from, per piece",
        "included": (
            "Gift wrapping on request\nA care card with every order\nFree UK delivery over £60"
        ),
        "not_included": (
            "Custom sizes or glaze colours (see Custom commission)\n"
            "Reserving stock for later [put aside, set aside, payday]"
        ),
        "keywords": (
            "mug mugs cup bowl plate jug teapot platter dish speckled shop order buy purchase "
            "for sale in stock"
        ),
        "turnaround": 3 * DAY,
        "public": True,
    },
    {
        "name": "Custom commission",
        "summary": "A piece or set made to order, in the size, shape and glaze you choose.",
        "description": (
            "Tell us what you have in mind and we sketch it, throw a sample and fire a glaze "
            "test tile before making the real thing. Dinner sets, named mugs, wedding gifts, "
            "memorial pieces and handmade tiles."
        ),
        "price_amount": Decimal("120.00"),
        "price_note": "from",
        "included": (
            "A design sketch and one round of changes\nA glaze test tile posted to you\n"
            "Names, dates or short messages written into the glaze"
        ),
        "not_included": (
            "Installing or fitting tiles\nExact colour matching to paint or fabric samples\n"
            "Pieces taller than 45 cm [tall, floor vase, huge]"
        ),
        "keywords": (
            "commission custom bespoke personalised personalized made to order design "
            "name dinner set wedding gift tiles memorial matching set lidded jar urn ashes vase"
        ),
        "turnaround": 30 * DAY,
        "public": True,
    },
    {
        "name": "Trade and café orders",
        "summary": "Tableware for cafés, restaurants and shops, in batches of 50 pieces or more.",
        "description": (
            "Sturdy café-weight mugs, plates and bowls in our house glazes, at trade prices, "
            "with repeat orders kept consistent from batch to batch."
        ),
        "price_amount": None,
        "price_note": "",
        "included": (
            "A sample pack of three pieces\n"
            "Trade prices for 50 pieces or more\n"
            "Matching repeat orders"
        ),
        "not_included": "Sale or return [consignment]\nPrinting your logo or brand on pieces",
        "keywords": (
            "wholesale trade café cafe restaurant hotel shop retailer stockist bulk "
            "batch business 50 100 pieces minimum order coffee roastery cups"
        ),
        "turnaround": 40 * DAY,
        "public": True,
    },
    {
        "name": "Repair of Fernhill pieces",
        "summary": "We mend chips and cracks in pieces we made, with gold kintsugi or a re-glaze.",
        "description": (
            "Send us the piece and every fragment you found. We repair with food-safe resin "
            "and gold, or re-glaze and re-fire where that is possible."
        ),
        "price_amount": Decimal("35.00"),
        "price_note": "per piece",
        "included": "Return postage in the UK\nA photo of the repair before we post it back",
        "not_included": (
            "Pieces made by other potters [elsewhere, craft fair, ikea, charity shop, "
            "another potter]\nAntiques and valuable heirlooms [antique, grandmother, Victorian, "
            "heirloom]"
        ),
        "keywords": (
            "repair mend fix broken chipped chip cracked crack glue kintsugi damaged handle "
            "snapped came off"
        ),
        "turnaround": 15 * DAY,
        "public": True,
    },
    {
        "name": "Wheel-throwing classes",
        "summary": "A two-hour taster or a six-week course on the potter's wheel, for adults.",
        "description": (
            "Small groups of six at the studio, Tuesday and Thursday evenings and Saturday "
            "mornings. Your pieces are glazed and fired and ready to collect three weeks later."
        ),
        "price_amount": Decimal("45.00"),
        "price_note": "taster; six-week course £240",
        "included": "Clay, glazes and firing\nAn apron and tools\nTea and biscuits",
        "not_included": (
            "Classes for children under 16 [kids, child, son, daughter, minimum age]\n"
            "Private one-to-one lessons [just me, individual, one to one, 1:1]"
        ),
        "keywords": (
            "class classes course lesson lessons workshop wheel throwing taster beginner "
            "learn booking book evening saturday"
        ),
        "turnaround": 1 * DAY,
        "public": True,
    },
    {
        "name": "Gift vouchers",
        "summary": "Vouchers for the shop or for a class, from £25, sent by email or post.",
        "description": "Valid for 12 months, for anything in the shop or any class.",
        "price_amount": Decimal("25.00"),
        "price_note": "from",
        "included": "A printable card by email\nA posted card on request",
        "not_included": "Cash refunds for unused vouchers [money back, refund]",
        "keywords": "voucher vouchers gift card present birthday christmas anniversary",
        "turnaround": 1 * DAY,
        "public": True,
    },
    {
        "name": "Kiln firing service",
        "summary": "Fire your own bisque or glazed pieces in our electric kiln.",
        "description": (
            "For home potters and schools: bring your dry, finished pieces to the studio and "
            "collect them fired about two weeks later."
        ),
        "price_amount": Decimal("15.00"),
        "price_note": "per kiln shelf",
        "included": "Bisque or glaze firing to stoneware temperature\nKiln wash and shelves",
        "not_included": (
            "Glazing or decorating your pieces for you\nRaku or pit firing [raku, pit, smoke]"
        ),
        "keywords": (
            "kiln firing fire firings bisque glaze home potter school fired shelf stoneware cone"
        ),
        "turnaround": 10 * DAY,
        "public": True,
    },
    {
        "name": "UK delivery and breakage cover",
        "summary": "Tracked delivery anywhere in the UK; anything broken on the way is replaced.",
        "description": (
            "Orders are packed in recycled paper and sent tracked. If something arrives broken, "
            "send a photo within 30 days and we send a replacement or refund it."
        ),
        "price_amount": Decimal("5.95"),
        "price_note": "free over £60",
        "included": (
            "Tracked delivery in the UK\nReplacement or refund for pieces broken in transit"
        ),
        "not_included": (
            "Delivery outside the UK [abroad, overseas, international, Ireland, Europe, USA, "
            "Canada, worldwide]\n"
            "Named-day or same-day delivery [guarantee, exact day, Saturday]"
        ),
        "keywords": (
            "delivery deliver shipping ship postage post parcel courier tracking arrived "
            "broken in transit damaged replacement lost parcel box smashed squashed highlands "
            "islands charge"
        ),
        "turnaround": 2 * DAY,
        "public": True,
    },
    {
        "name": "Studio hire for photo shoots",
        "summary": "The studio and its shelves as a set for photographers, by the half day.",
        "description": "Only on days without classes; Alex agrees each booking personally.",
        "price_amount": None,
        "price_note": "",
        "included": "Use of props from the seconds shelf",
        "not_included": "Filming with an audience [live, podcast, people watching]",
        "keywords": "photo shoot photography filming studio hire location host video record",
        "turnaround": 5 * DAY,
        "public": False,
    },
]

PARTNERS: list[dict[str, Any]] = [
    {
        "name": "Mended & Gold",
        "what_they_do": (
            "A ceramics restorer: repairs and restores china, porcelain and pottery of any "
            "maker, including antiques and heirlooms, with invisible or gold repairs."
        ),
        "keywords": (
            "restore restoration repair mend antique heirloom porcelain china vase "
            "grandmother other maker valuable"
        ),
        "contact": "Hana Ito · hello@mendedandgold.example · 01632 960 101",
        "notes": "Hana has offered 10% off to anyone we send.",
        "public": True,
    },
    {
        "name": "Little Clay Club",
        "what_they_do": (
            "Pottery classes and clay parties for children aged 5 to 15, after school and at "
            "weekends."
        ),
        "keywords": (
            "children child kids kid son daughter teenager party birthday party school "
            "holiday club junior"
        ),
        "contact": "bookings@littleclayclub.example · 01632 960 202",
        "notes": "",
        "public": True,
    },
    {
        "name": "Hearth & Tile Fitters",
        "what_they_do": (
            "Fits tiles in kitchens, bathrooms and fireplaces: splashbacks, floors and "
            "surrounds, including handmade tiles."
        ),
        "keywords": (
            "install installation fit fitting fitter tiler tiling splashback bathroom kitchen "
            "fireplace grout wall floor"
        ),
        "contact": "Dev Patel · 07700 900 303 · hearthandtile.example",
        "notes": "Careful with handmade tiles; quotes within a week.",
        "public": True,
    },
]

POLICIES: list[dict[str, Any]] = [
    {
        "title": "Returns and refunds",
        "kind": "text",
        "body": (
            "We want you to love what you bought.\n\n"
            "- **Shop pieces**: return them unused within **30 days** for a full refund; "
            "we pay return postage if the piece was faulty.\n"
            "- **Broken in transit**: send a photo within 30 days and we replace or refund it.\n"
            "- **Commissions** are made for you, so they cannot be returned, but if something "
            "is not as agreed we remake it.\n"
            "- **Classes**: move your booking free up to 48 hours before; after that we offer "
            "a place in a later class.\n"
            "- **Gift vouchers** are not refundable for cash but can be extended once by six "
            "months."
        ),
        "public": True,
    },
    {
        "title": "Delivery",
        "kind": "text",
        "body": (
            "We deliver to addresses in the **United Kingdom** only, tracked, usually within "
            "three working days of your order. Delivery costs £5.95 and is free over £60.\n\n"
            "We cannot offer named-day or same-day delivery."
        ),
        "public": True,
    },
    {
        "title": "How quickly we answer",
        "kind": "response_times",
        "body": (
            "Fernhill is a small studio: the people who answer your message also make the "
            "pots. These are the times we hold ourselves to."
        ),
        "public": True,
    },
    {
        "title": "Damaged-parcel claims (staff)",
        "kind": "text",
        "body": (
            "Ask for one photo of the box and one of the piece. Replace first, claim from the "
            "courier afterwards: the customer never waits for the courier's answer."
        ),
        "public": False,
    },
]


def load_catalogue() -> None:
    """Create the demo shop's offers, partners and policies (in the listed order)."""
    from keepwell.offers.models import Offer, Partner, Policy

    for position, offer in enumerate(OFFERS):
        Offer.objects.create(position=position, **offer)
    for partner in PARTNERS:
        Partner.objects.create(**partner)
    for position, policy in enumerate(POLICIES):
        Policy.objects.create(position=position, slug=slugify(policy["title"]), **policy)
