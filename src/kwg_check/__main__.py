"""``python -m kwg_check`` runs the command line."""

from .cli import main

raise SystemExit(main())
