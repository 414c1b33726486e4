"""`python -m generator` is the `nianbao` command."""

from generator.cli import main

raise SystemExit(main())
