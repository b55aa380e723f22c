"""One module per ``stsp-coach`` subcommand; each exposes ``register(subparsers)``."""
