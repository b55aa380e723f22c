"""Errors that the command line reports as one clear line, without a traceback."""


class UserFacingError(Exception):
    """A problem with the user's input or environment, worded for the user.

    The CLI prints ``str(error)`` on stderr and exits with ``exit_code``; nothing else is shown.
    """

    exit_code = 2


class InputError(UserFacingError):
    """The input (video, image folder, data file) is missing, unreadable or holds nothing usable."""


class ModelsMissingError(UserFacingError):
    """The model weights have not been fetched or converted yet."""

    exit_code = 3
