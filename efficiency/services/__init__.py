"""Services are the only writers: views, imports and commands all call them.

Each one is atomic, checks the rules of the domain, and records what it did in the history.
"""


class ServiceError(Exception):
    """A refusal the user can read: the message is already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
