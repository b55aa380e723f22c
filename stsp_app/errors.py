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


class OutputError(UserFacingError):
    """The place a result should go cannot be written (no permission, a file in the way, a full disk)."""


class Interrupted(UserFacingError):
    """The user stopped the command (Ctrl-C or SIGTERM); the message says what was kept."""

    exit_code = 130


def describe_os_error(error: OSError) -> str:
    """An OSError as one line for the user: the file and what the system said, without a traceback."""
    place = error.filename if error.filename is not None else ""
    reason = error.strerror or str(error)
    return f"{place}: {reason}" if place else reason
