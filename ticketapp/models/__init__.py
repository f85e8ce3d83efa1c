"""The SQLModel tables, one module per area; everything is importable from `ticketapp.models`.

- core: users, teams, tickets and their history, SLA, routing, KB, notifications, the outbox;
- integrations: API tokens, outbound webhooks, monitoring intake;
- accounts: password resets, two-factor sign-in, the security audit log;
- mail: the e-mail channel;
- organisations: requesters' organisations and staff notes about requesters;
- agent_tools: canned responses and macros;
- live: changes made by other processes, for the live views;
- preferences: per-user interface choices (the ticket list's columns);
- sessions: sign-in hand-offs (the session cookie is set by an HTTP answer);
- fields: tags and custom fields of tickets.
"""

from ticketapp.models.accounts import *  # noqa: F403
from ticketapp.models.agent_tools import *  # noqa: F403
from ticketapp.models.core import *  # noqa: F403
from ticketapp.models.fields import *  # noqa: F403
from ticketapp.models.integrations import *  # noqa: F403
from ticketapp.models.live import *  # noqa: F403
from ticketapp.models.mail import *  # noqa: F403
from ticketapp.models.organisations import *  # noqa: F403
from ticketapp.models.preferences import *  # noqa: F403
from ticketapp.models.sessions import *  # noqa: F403
