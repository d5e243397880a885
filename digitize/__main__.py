"""``python -m digitize chart.png``: the same as the ``digitize`` command."""

from digitize.cli import main

raise SystemExit(main())
