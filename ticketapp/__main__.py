import sys

from ticketapp.cli import main

sys.exit(main())
