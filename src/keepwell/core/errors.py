"""The DomainError family: what actions raise, mapped to 4xx answers by the adapters."""


class DomainError(Exception):
    """A request the domain refuses; the message is written for the person who made it."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """Missing or not visible to this actor: the two are deliberately indistinguishable."""

    status_code = 404
    code = "not-found"


class Forbidden(DomainError):
    """The actor is known but may not do this."""

    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    """The state changed underneath the request (stale reply, invalid transition)."""

    status_code = 409
    code = "conflict"


class InvalidInput(DomainError):
    """The input cannot be used as given; `field` names the culprit when there is one."""

    status_code = 422
    code = "invalid-input"
