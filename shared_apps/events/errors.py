"""The one error that services raise when input is refused; its message is shown to users."""

from django.utils.functional import Promise


class RegistrationRefused(ValueError):
    """The sign-up or registration cannot be done as asked; nothing was changed."""

    def __init__(self, message: str | Promise, code: str) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
