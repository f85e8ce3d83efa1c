"""The SQLModel tables, one module per area; everything is importable from `ticketapp.models`.

- core: users, teams, tickets and their history, SLA, routing, KB, notifications, the outbox;
- integrations: API tokens, outbound webhooks, monitoring intake;
- accounts: password resets, two-factor sign-in, the security audit log;
- mail: the e-mail channel;
- fields: tags and custom fields of tickets.
"""

from ticketapp.models.accounts import *  # noqa: F403
from ticketapp.models.core import *  # noqa: F403
from ticketapp.models.fields import *  # noqa: F403
from ticketapp.models.integrations import *  # noqa: F403
from ticketapp.models.mail import *  # noqa: F403
