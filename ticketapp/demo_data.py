"""Demo content as plain data: people, teams, categories and ~80 scripted tickets.

`ticketapp.services.seed` turns this into rows with a consistent, backdated history. Nothing
here touches the database.

Conversation entries are `(kind, body)` pairs:
- "r": the requester writes (public);
- "a": the assignee (or, without one, the first member of the ticket's team) replies publicly;
- "n": the same staff member writes an internal note;
- "resolve" / "reopen": explicit status steps for tickets that were reopened (body ignored).

The seed derives the rest of the story from the final `status`: triage (assign, team, priority
change), "in progress" at the first public reply, "waiting on requester" while an agent's
question (a public reply ending in "?") is followed by the requester's answer (which moves it
back to open, like the tickets service does), resolution after the last message, closure some
days later (by the agent, or by the system's auto-close after 7 days).

A duplicate (`merged_into`) is filed shortly after its target and merged into it; a ticket with
`related_to` is filed shortly after the other one and linked to it both ways.

Relative times in `details`: "-90m" / "-3h" / "-2d" mean that long before the ticket was filed
(stored as an ISO datetime); "+14d" means that many days after it was filed (stored as an ISO
date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from inspect import cleandoc as md
from typing import Any

DEMO_PASSWORD = "demo-password"

# key -> (email, name, role)
USERS: dict[str, tuple[str, str, str]] = {
    "morgan": ("manager@example.com", "Morgan Manager", "manager"),
    "alex": ("agent@example.com", "Alex Agent", "agent"),
    "jordan": ("jordan.lee@example.com", "Jordan Lee", "agent"),
    "priya": ("priya.raman@example.com", "Priya Raman", "agent"),
    "dmitri": ("dmitri.volkov@example.com", "Dmitri Volkov", "agent"),
    "riley": ("requester@example.com", "Riley Requester", "requester"),
    "hannah": ("hannah.schmidt@example.com", "Hannah Schmidt", "requester"),
    "marcus": ("marcus.johnson@example.com", "Marcus Johnson", "requester"),
    "aisha": ("aisha.khan@example.com", "Aisha Khan", "requester"),
    "tom": ("tom.becker@example.com", "Tom Becker", "requester"),
    "elena": ("elena.petrova@example.com", "Елена Петрова", "requester"),
    "ivan": ("ivan.smirnov@example.com", "Иван Смирнов", "requester"),
    "grace": ("grace.liu@example.com", "Grace Liu", "requester"),
    "carlos": ("carlos.mendes@example.com", "Carlos Mendes", "requester"),
}

# The interface language of the users who chose one (the others follow their browser).
USER_LOCALES: dict[str, str] = {"elena": "ru", "ivan": "ru"}

# name -> (description, member keys)
TEAMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Service desk": (
        "First line: accounts, email, devices, software, printing and billing questions.",
        ("alex", "jordan", "priya", "morgan"),
    ),
    "Infrastructure": (
        "Servers, network, VPN, backups and everything in the server room.",
        ("dmitri", "priya"),
    ),
}

# name -> (description, team that handles it by default)
CATEGORIES: dict[str, tuple[str, str]] = {
    "Access & accounts": (
        "Sign-in, passwords, multi-factor authentication and permissions.",
        "Service desk",
    ),
    "Email": ("Mailboxes, calendars, distribution lists and spam.", "Service desk"),
    "Network & VPN": ("Office Wi-Fi, wired network, VPN and firewall rules.", "Infrastructure"),
    "Hardware": ("Laptops, monitors, phones, docks and peripherals.", "Service desk"),
    "Software": ("Installing, licensing and fixing applications.", "Service desk"),
    "Printing": ("Printers, scanners, print queues and toner.", "Service desk"),
    "Infrastructure": ("Servers, storage, backups, certificates and DNS.", "Infrastructure"),
    "Billing": ("Invoices, licences, cost centres and refunds.", "Service desk"),
}

# Triage rules (issue 7): name, keyword phrases (any word form, EN/RU), what they set.
ROUTING_RULES: tuple[tuple[str, str, dict[str, str]], ...] = (
    (
        "Server outages",
        "server down, server not working, server outage, servers unreachable, "
        "сервер не работает, сервер упал, сервер недоступен, "
        "serwer nie działa, awaria serwera, serveris nestrādā, servera avārija",
        {"type": "incident", "priority": "urgent", "category": "Infrastructure",
         "team": "Infrastructure"},
    ),
    (
        "VPN and network",
        "vpn, wifi, wi-fi, network, впн, сеть, sieć, tīkls",
        {"category": "Network & VPN", "team": "Infrastructure"},
    ),
    (
        "Printing",
        "printer, toner, scanner, принтер, drukarka, skaner, printeris, skeneris",
        {"category": "Printing", "team": "Service desk"},
    ),
)  # fmt: skip

# Notes for logged time, picked deterministically by the seed.
TIME_NOTES = (
    "Investigation",
    "Remote session with the requester",
    "Reproduced and checked logs",
    "Configuration change",
    "Testing the fix",
    "Vendor call",
    "Documentation",
)


@dataclass(frozen=True)
class TicketScript:
    key: str
    title: str
    description: str
    type: str
    category: str
    requester: str
    status: str
    priority: str = "normal"
    impact: str = "normal"
    assignee: str | None = None
    # Without an assignee: the team the ticket waits in (None = not triaged yet).
    # With one: None picks the category's team (or the assignee's own team).
    team: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    conversation: tuple[tuple[str, str], ...] = ()
    initial_priority: str | None = None  # priority when filed, when triage changed it
    rating: tuple[int, str] | None = None  # (score 1-5, comment), after the last resolution
    merged_into: str | None = None  # key of the ticket this duplicate was merged into
    related_to: str | None = None  # key of a related ticket
    language: str = "en"


TICKETS: tuple[TicketScript, ...] = (
    # --- Access & accounts -------------------------------------------------------------------
    TicketScript(
        key="mfa-new-phone",
        title="Moving my authenticator app to a new phone",
        description=md(
            """
            I got a new phone yesterday and my old one goes back to the shop on Friday.

            How do I move the **multi-factor authentication** codes over without locking
            myself out?
            """
        ),
        type="question",
        category="Access & accounts",
        requester="riley",
        assignee="alex",
        status="resolved",
        conversation=(
            (
                "a",
                md(
                    """
                    Good that you asked before returning the old phone. Steps:

                    1. Sign in to the account portal on your computer.
                    2. Open *Security info* and choose **Add method -> Authenticator app**.
                    3. Scan the QR code with the new phone and approve the test prompt.
                    4. Remove the old phone from the list.

                    Keep the old phone until step 3 has worked.
                    """
                ),
            ),
            ("r", "Done, the new phone gets the prompts now. Thanks a lot!"),
            ("a", "Great, I'll mark this as resolved."),
        ),
        rating=(5, "Clear steps, took me two minutes."),
    ),
    TicketScript(
        key="locked-out",
        title="Account locked after password change",
        description=md(
            """
            I changed my password this morning and now I get *"Your account has been locked"*
            on every sign-in. I have a client call at 11:00 and need my calendar.
            """
        ),
        type="incident",
        category="Access & accounts",
        requester="marcus",
        assignee="jordan",
        status="closed",
        priority="high",
        impact="high",
        details={"affected_service": "Single sign-on", "started_at": "-40m"},
        conversation=(
            (
                "n",
                "Sign-in logs show 30+ failures from an old phone with the previous "
                "password in the mail app. That's what keeps re-locking it.",
            ),
            (
                "a",
                "I've unlocked the account. Your phone's mail app still uses the old "
                "password and keeps locking you out: please remove and re-add the account on "
                "the phone. Can you try signing in on the laptop now?",
            ),
            ("r", "Laptop works. Re-added the account on the phone as well."),
            ("a", "Perfect. No new failures in the logs since then, closing this off."),
        ),
        rating=(4, "Fast, though it would be nice if the lock message said why."),
    ),
    TicketScript(
        key="shared-drive-access",
        title="Access to the Finance shared drive",
        description=md(
            """
            I joined the finance team last week. Please give me **read and write** access to
            `\\\\files\\Finance` (the *Budgets* and *Forecasts* folders).

            My manager Hannah Schmidt can confirm.
            """
        ),
        type="change_request",
        category="Access & accounts",
        requester="hannah",
        assignee="alex",
        status="in_progress",
        details={
            "desired_date": "+3d",
            "justification": "New team member needs the budget files for the quarterly close.",
        },
        conversation=(
            ("n", "Needs approval from the drive owner (Finance lead). Sent the approval mail."),
            (
                "a",
                "Thanks Hannah, I've asked the drive owner for approval and will add the "
                "access as soon as it comes back.",
            ),
        ),
    ),
    TicketScript(
        key="new-hire-account",
        title="Accounts for a new hire starting Monday",
        description=md(
            """
            **New starter:** Lena Fischer, Marketing Coordinator
            **Start date:** next Monday
            **Needs:** email, Teams, the marketing shared drive and Canva.
            """
        ),
        type="change_request",
        category="Access & accounts",
        requester="grace",
        assignee="priya",
        status="waiting",
        priority="high",
        details={"desired_date": "+4d", "justification": "New employee starts on Monday."},
        conversation=(
            (
                "a",
                "Hi Grace, I can set all of this up. Do you have the signed onboarding form "
                "from HR, and should Lena get a laptop from stock or a new one?",
            ),
            ("r", "The form is attached in HR's system. Stock laptop is fine."),
            (
                "n",
                "HR form found. Canva needs a paid seat: checked with Morgan, approved.",
            ),
            (
                "a",
                "Email, Teams and the shared drive are ready. For Canva we need her "
                "personal phone number for the invite. Could you send it, or should we use "
                "her work email only?",
            ),
        ),
    ),
    TicketScript(
        key="sso-loop",
        title="Sign-in page keeps redirecting back to itself",
        description=md(
            """
            When I open the HR portal I land on the company sign-in page, enter my details,
            and then I'm back on the sign-in page again. Endless loop.

            Happens in Chrome and Edge, cleared cookies already.
            """
        ),
        type="problem",
        category="Access & accounts",
        requester="aisha",
        team="Service desk",
        status="open",
        priority="high",
        impact="high",
        details={
            "steps": "1. Open hr.example.com\n2. Sign in\n3. Get sent back to the sign-in page",
            "expected": "The HR portal opens.",
            "actual": "Redirect loop between the portal and the sign-in page.",
        },
        conversation=(
            ("r", "Two colleagues in my team have the same problem since this morning."),
            ("n", "Possibly the HR portal's SAML certificate rollover last night. Checking."),
        ),
    ),
    TicketScript(
        key="password-expiry-notice",
        title="Warn us before passwords expire",
        description=md(
            """
            My password expired in the middle of a presentation today. Could we get an email
            **a week before** expiry instead of finding out at sign-in?
            """
        ),
        type="feature_request",
        category="Access & accounts",
        requester="tom",
        status="new",
        priority="low",
        impact="low",
    ),
    TicketScript(
        key="offboard-contractor",
        title="Remove access for contractor leaving Friday",
        description=md(
            """
            Our contractor **Paul Wagner** finishes on Friday. Please disable his account at
            18:00 and forward his mail to me for 30 days.
            """
        ),
        type="change_request",
        category="Access & accounts",
        requester="carlos",
        assignee="jordan",
        status="closed",
        details={"desired_date": "+4d", "justification": "Contract ends; offboarding policy."},
        conversation=(
            (
                "a",
                "Scheduled: account disabled Friday 18:00, mail forwarded to you until the 30th.",
            ),
            ("n", "Also removed him from the VPN group and the vendor portal."),
            ("a", "Done as planned on Friday. His laptop can be dropped at the IT desk."),
        ),
    ),
    TicketScript(
        key="crm-login-ru",
        title="Не могу войти в CRM",
        description=md(
            """
            Добрый день! С утра при входе в CRM пишет **«Неверный логин или пароль»**, хотя
            пароль правильный: в почту захожу с ним без проблем.
            """
        ),
        type="incident",
        category="Access & accounts",
        requester="elena",
        assignee="dmitri",
        status="resolved",
        priority="high",
        impact="normal",
        details={"affected_service": "CRM", "started_at": "-2h"},
        language="ru",
        conversation=(
            (
                "n",
                "Синхронизация учёток с CRM упала ночью, у 12 пользователей старый пароль. "
                "Перезапустил коннектор.",
            ),
            (
                "a",
                "Елена, здравствуйте! Ночью сломалась синхронизация паролей с CRM, я её "
                "перезапустил. Попробуйте, пожалуйста, войти ещё раз?",
            ),
            ("r", "Да, всё работает. Спасибо!"),
            ("a", "Отлично, закрываю заявку."),
        ),
    ),
    TicketScript(
        key="jira-password",
        title="Password reset for Jira",
        description="Forgot my Jira password and the reset email never arrives.",
        type="question",
        category="Access & accounts",
        requester="riley",
        assignee="jordan",
        status="closed",
        priority="low",
        impact="low",
        conversation=(
            (
                "a",
                "Jira uses your normal company sign-in since last month, so there is no "
                "separate password any more: use **Sign in with company account** on the "
                "Jira login page.",
            ),
            ("r", "Ah, that was it. Thanks!"),
        ),
    ),
    TicketScript(
        key="admin-rights",
        title="Temporary admin rights to install dev tools",
        description=md(
            """
            I need to install Docker Desktop and a couple of CLI tools for a data project.
            Could I get local admin rights for a week?
            """
        ),
        type="change_request",
        category="Access & accounts",
        requester="tom",
        assignee="priya",
        status="closed",
        details={"desired_date": "+2d", "justification": "Data migration project needs Docker."},
        conversation=(
            (
                "a",
                "We don't hand out admin rights, but everything on your list is in the "
                "Software Center: Docker Desktop, git, Python 3.12 and the AWS CLI. Is "
                "anything missing from there?",
            ),
            ("r", "Found everything except `jq`."),
            ("n", "jq is a single binary, packaged it for Software Center."),
            ("a", "`jq` is in the Software Center now as well."),
        ),
    ),
    # --- Email -------------------------------------------------------------------------------
    TicketScript(
        key="outlook-sync",
        title="Outlook stopped syncing new mail",
        description=md(
            """
            Since yesterday afternoon Outlook on my laptop shows *"Updating this folder"*
            forever. Webmail has all the new messages, the laptop doesn't.
            """
        ),
        type="problem",
        category="Email",
        requester="riley",
        assignee="alex",
        status="in_progress",
        priority="high",
        details={
            "steps": "Open Outlook on the laptop and wait for new mail.",
            "expected": "New mail shows up within a minute, like in webmail.",
            "actual": "The status bar says 'Updating this folder' and nothing arrives.",
        },
        conversation=(
            (
                "a",
                "Could you close Outlook, then start it while holding **Ctrl** and choose "
                "*safe mode*? Does mail arrive then?",
            ),
            ("r", "In safe mode it syncs. Normal mode still stuck."),
            ("n", "An add-in then. The CRM add-in updated yesterday, suspect."),
            (
                "a",
                "That points to an add-in. I'm rolling back the CRM add-in on your laptop "
                "remotely; you'll get a restart prompt in about 10 minutes.",
            ),
        ),
    ),
    TicketScript(
        key="phishing",
        title="Suspicious email asking to confirm my password",
        description=md(
            """
            Got an email "from IT" saying my mailbox is full and asking me to **confirm my
            password** on a link. I clicked the link but did *not* type anything. Is that ok?
            """
        ),
        type="incident",
        category="Email",
        requester="hannah",
        assignee="jordan",
        status="closed",
        priority="urgent",
        impact="high",
        details={"affected_service": "Email", "started_at": "-15m"},
        conversation=(
            ("n", "Same mail hit 40 mailboxes. Purged from all of them, sender domain blocked."),
            (
                "a",
                "Thank you for reporting it so quickly! Opening the link without typing "
                "anything is fine. We've removed that email from everyone's mailbox and "
                "blocked the sender. Your account shows no unusual sign-ins.",
            ),
            ("r", "Phew, thanks."),
        ),
        rating=(5, "Really quick reaction, and good to know what to do next time."),
    ),
    TicketScript(
        key="shared-mailbox",
        title="Shared mailbox for the events team",
        description=md(
            """
            We'd like an **events@example.com** shared mailbox for the events team
            (Aisha, Grace and Carlos), visible in Outlook for all three of us.
            """
        ),
        type="change_request",
        category="Email",
        requester="aisha",
        assignee="alex",
        status="resolved",
        details={"desired_date": "+7d", "justification": "Conference season starts next month."},
        conversation=(
            (
                "a",
                "Created events@example.com with full access and *send as* for the three of "
                "you. It appears in Outlook after a restart (can take up to an hour).",
            ),
            ("r", "It's there for me and Grace. Carlos will check tomorrow."),
        ),
    ),
    TicketScript(
        key="out-of-office",
        title="How do I set an out-of-office reply from my phone?",
        description="I'm already on holiday and forgot to set my automatic reply.",
        type="question",
        category="Email",
        requester="carlos",
        assignee="jordan",
        status="closed",
        priority="low",
        impact="low",
        initial_priority="normal",
        conversation=(
            (
                "a",
                "In the Outlook app: tap your profile picture -> the gear -> your account -> "
                "**Automatic replies**. Turn it on, write the message, tap the tick. Enjoy "
                "the holiday!",
            ),
            ("r", "Done, thanks!"),
        ),
    ),
    TicketScript(
        key="partner-bounces",
        title="Emails to our logistics partner bounce",
        description=md(
            """
            All my emails to anyone at **nordfreight.example** come back with:

            ```
            550 5.7.1 Message rejected due to SPF policy
            ```

            Started today. We send them delivery schedules every day.
            """
        ),
        type="incident",
        category="Email",
        requester="marcus",
        assignee="priya",
        status="waiting",
        priority="high",
        impact="high",
        details={"affected_service": "Outbound email", "started_at": "-5h"},
        conversation=(
            (
                "n",
                "Our SPF record is fine. Their server seems to use an old cached copy. "
                "Need their admin contact.",
            ),
            (
                "a",
                "Our side checks out: the partner's mail server rejects us based on an old "
                "record. Do you have a contact in their IT team we could write to?",
            ),
        ),
    ),
    TicketScript(
        key="signature-template",
        title="Company email signature template",
        description=md(
            """
            Everyone's signature looks different. Could IT push one template with the new
            logo, name, title and phone number filled in automatically?
            """
        ),
        type="feature_request",
        category="Email",
        requester="grace",
        assignee="alex",
        status="open",
        priority="low",
        impact="low",
        conversation=(
            ("a", "Nice idea. I'll check which fields our directory has filled in reliably."),
        ),
    ),
    TicketScript(
        key="distribution-list",
        title="Add me to the sales-updates list",
        description="Please add me to **sales-updates@example.com**, I moved to the sales team.",
        type="change_request",
        category="Email",
        requester="tom",
        status="new",
        details={"desired_date": "+5d", "justification": "Team change."},
    ),
    TicketScript(
        key="duplicate-invites",
        title="Calendar invites show up twice",
        description=md(
            """
            Every meeting invite I receive appears **twice** in my calendar; deleting one
            deletes both. Started after I added my calendar on my tablet.
            """
        ),
        type="problem",
        category="Email",
        requester="riley",
        team="Service desk",
        status="open",
        details={
            "steps": "Receive any meeting invite.",
            "expected": "One entry in the calendar.",
            "actual": "Two identical entries, linked to each other.",
        },
    ),
    TicketScript(
        key="spam-ru",
        title="Письма клиентов попадают в спам",
        description=md(
            """
            Уже неделю часть писем от клиентов (домен *retail-partner.example*) попадает в
            папку **«Нежелательная почта»**. Приходится проверять её каждый день.
            """
        ),
        type="problem",
        category="Email",
        requester="ivan",
        assignee="dmitri",
        status="in_progress",
        language="ru",
        details={
            "steps": "Клиент отправляет письмо с домена retail-partner.example.",
            "expected": "Письмо во «Входящих».",
            "actual": "Письмо в «Нежелательной почте».",
        },
        conversation=(
            (
                "a",
                "Иван, добрый день. Пришлите, пожалуйста, одно такое письмо как вложение, "
                "чтобы я посмотрел заголовки?",
            ),
            ("r", "Отправил вам на почту."),
            ("n", "У домена клиента сломан DKIM. Добавляю временное правило доверия."),
            (
                "a",
                "У отправителя неправильно настроена подпись DKIM. Я добавил временное "
                "правило, а их администраторам написал, как исправить.",
            ),
        ),
    ),
    TicketScript(
        key="mailbox-full",
        title="Mailbox almost full warning",
        description=md(
            """
            Outlook says my mailbox is **98% full**. What can I delete safely, and can I just
            get more space?
            """
        ),
        type="question",
        category="Email",
        requester="hannah",
        assignee="jordan",
        status="resolved",
        conversation=(
            (
                "a",
                md(
                    """
                    Quickest wins:

                    - *Deleted Items* and *Junk* count towards the quota: empty them.
                    - Sort by size and move big attachments to OneDrive.
                    - Turn on the online archive (I've just enabled it for you): items older
                      than 2 years move there automatically.
                    """
                ),
            ),
            ("r", "Down to 60% already. The archive is a good idea."),
        ),
        rating=(3, "Solved, but I had hoped for more space instead of cleaning up."),
    ),
    # --- Network & VPN -----------------------------------------------------------------------
    TicketScript(
        key="vpn-drops",
        title="VPN disconnects every 20 minutes",
        description=md(
            """
            Working from home, the VPN drops roughly every **20 minutes** and takes a minute
            to come back. My home internet is stable otherwise (video calls without VPN are
            fine).
            """
        ),
        type="problem",
        category="Network & VPN",
        requester="riley",
        assignee="dmitri",
        status="in_progress",
        priority="high",
        details={
            "steps": "Connect to the VPN from home and work normally.",
            "expected": "The connection stays up all day.",
            "actual": "Disconnect every ~20 minutes, reconnects after about a minute.",
        },
        conversation=(
            (
                "a",
                "Which VPN client version do you see under *About*, and is your laptop on "
                "Wi-Fi or cable at home?",
            ),
            ("r", "Version 5.1.2, on Wi-Fi."),
            (
                "n",
                "Gateway logs: rekey timeout every 1200 s for clients < 5.2. Matches. Other "
                "users on 5.1.x affected too.",
            ),
            (
                "a",
                "Found it: older clients fail the key renewal that happens every 20 minutes. "
                "I'm preparing an update to 5.2 for everyone still on 5.1.",
            ),
        ),
    ),
    TicketScript(
        key="wifi-floor3",
        title="Wi-Fi down on the 3rd floor",
        description=md(
            """
            Nobody on the **3rd floor** can connect to the office Wi-Fi. Laptops see the
            network but fail with *"Can't connect to this network"*. About 25 people affected.
            """
        ),
        type="incident",
        category="Network & VPN",
        requester="marcus",
        assignee="dmitri",
        status="closed",
        priority="urgent",
        impact="high",
        initial_priority="high",
        details={"affected_service": "Office Wi-Fi (3rd floor)", "started_at": "-25m"},
        conversation=(
            (
                "n",
                "Both 3rd floor access points lost PoE: switch SW-3 rebooted after a power blip.",
            ),
            (
                "a",
                "The network switch on the 3rd floor restarted after a short power cut and "
                "the access points didn't come back. I'm on my way up.",
            ),
            ("n", "Replaced the PoE injector for AP-3B, both APs up. Ordered a UPS for SW-3."),
            (
                "a",
                "Wi-Fi is back on the 3rd floor. Please let me know if anyone still can't connect.",
            ),
            ("r", "Everyone's back online, thanks Dmitri!"),
        ),
        rating=(4, "Fixed within the hour. A heads-up message to the floor would have helped."),
    ),
    TicketScript(
        key="wifi-floor3-dup",
        title="No internet on 3rd floor",
        description="Wi-Fi doesn't work at my desk on the 3rd floor, my neighbours have the same.",
        type="incident",
        category="Network & VPN",
        requester="grace",
        assignee="dmitri",
        status="closed",
        priority="high",
        impact="high",
        details={"affected_service": "Office Wi-Fi", "started_at": "-30m"},
        merged_into="wifi-floor3",
    ),
    TicketScript(
        key="guest-wifi",
        title="Guest Wi-Fi password for a visitor",
        description="I have a supplier visiting tomorrow. What's the guest Wi-Fi password?",
        type="question",
        category="Network & VPN",
        requester="aisha",
        assignee="jordan",
        status="closed",
        priority="low",
        impact="low",
        conversation=(
            (
                "a",
                "Guests connect to **Example-Guest** and get a code by SMS on the sign-in "
                "page, no shared password. Reception can also print a day pass.",
            ),
            ("r", "Perfect, thank you."),
        ),
    ),
    TicketScript(
        key="vpn-mac",
        title="VPN client for a Mac",
        description="I got a MacBook from the design team. Where do I get the macOS VPN client?",
        type="question",
        category="Network & VPN",
        requester="carlos",
        assignee="priya",
        status="resolved",
        conversation=(
            (
                "a",
                "Open **Self Service** (in Applications), search for *VPN* and click "
                "Install. Sign in with your company account on first start.",
            ),
            ("r", "Installed and connected, thanks."),
        ),
    ),
    TicketScript(
        key="warehouse-slow",
        title="Network very slow in the warehouse",
        description=md(
            """
            Scanners and the PC at the warehouse packing station are really slow between
            **14:00 and 16:00**. Orders take minutes to print.
            """
        ),
        type="problem",
        category="Network & VPN",
        requester="tom",
        assignee="dmitri",
        status="waiting",
        details={
            "steps": "Print a packing slip between 14:00 and 16:00.",
            "expected": "The slip prints within seconds.",
            "actual": "It takes 2-3 minutes; scanners time out.",
        },
        conversation=(
            ("n", "Uplink to the warehouse saturates at 14:00: daily backup job of the CCTV NVR."),
            (
                "a",
                "The slowdown lines up with the camera system's daily backup. I can move "
                "that backup to 22:00. Is anyone working in the warehouse at night?",
            ),
        ),
    ),
    TicketScript(
        key="split-tunnel",
        title="Allow video calls outside the VPN (split tunnelling)",
        description=md(
            """
            Video calls over the VPN are choppy. Other companies route Teams/Zoom traffic
            directly. Could we do that too?
            """
        ),
        type="feature_request",
        category="Network & VPN",
        requester="hannah",
        team="Infrastructure",
        status="open",
        priority="low",
        impact="normal",
    ),
    TicketScript(
        key="vendor-firewall",
        title="Firewall rule for the new payroll vendor",
        description=md(
            """
            The new payroll provider needs to reach our SFTP server.

            - Source: `203.0.113.40/29`
            - Destination: `sftp.example.com`, port **22**
            """
        ),
        type="change_request",
        category="Network & VPN",
        requester="marcus",
        assignee="dmitri",
        status="in_progress",
        priority="high",
        details={
            "desired_date": "+6d",
            "justification": "Payroll switches to the new provider at month end.",
        },
        conversation=(
            ("n", "Security review OK. Change scheduled for the Thursday window."),
            (
                "a",
                "Approved by security. I'll add the rule in Thursday's maintenance window "
                "and then we can test together with the vendor.",
            ),
        ),
    ),
    TicketScript(
        key="hotel-vpn",
        title="VPN won't connect from the hotel",
        description=md(
            """
            I'm at a customer site this week and the VPN fails at the hotel with
            *"Gateway not reachable"*. I need the sales reports for tomorrow morning.
            """
        ),
        type="incident",
        category="Network & VPN",
        requester="riley",
        status="new",
        priority="high",
        impact="normal",
        details={"affected_service": "VPN", "started_at": "-1h"},
        conversation=(("r", "Tried my phone's hotspot as well, same error."),),
    ),
    TicketScript(
        key="vpn-ru",
        title="VPN не подключается после обновления Windows",
        description=md(
            """
            После вчерашнего обновления Windows VPN-клиент выдаёт ошибку **809**.
            Работаю из дома, без VPN не открываются внутренние системы.
            """
        ),
        type="incident",
        category="Network & VPN",
        requester="elena",
        assignee="dmitri",
        status="closed",
        language="ru",
        details={"affected_service": "VPN", "started_at": "-1d"},
        conversation=(
            (
                "a",
                "Елена, обновление сбросило настройки VPN-клиента. Откройте Центр "
                "программного обеспечения и переустановите «VPN Client». Получилось?",
            ),
            ("r", "Да, переустановила, подключается. Спасибо большое!"),
        ),
        rating=(5, "Быстро и понятно."),
    ),
    # --- Hardware ----------------------------------------------------------------------------
    TicketScript(
        key="screen-flicker",
        title="Laptop screen flickers",
        description=md(
            """
            My laptop screen flickers every few seconds, worse when I open the lid wider.
            External monitor is fine.
            """
        ),
        type="problem",
        category="Hardware",
        requester="aisha",
        assignee="jordan",
        status="in_progress",
        details={
            "steps": "Open the lid past ~100 degrees.",
            "expected": "A stable picture.",
            "actual": "The built-in screen flickers and sometimes goes black for a second.",
        },
        conversation=(
            (
                "a",
                "Sounds like the display cable in the hinge. Is the laptop still under warranty?",
            ),
            ("r", "Bought last year, so I think so."),
            ("n", "Warranty until next March. Opened a case with the vendor."),
            (
                "a",
                "It is. I've booked a vendor repair and will bring you a loaner meanwhile.",
            ),
        ),
    ),
    TicketScript(
        key="second-monitor",
        title="Second monitor for my desk",
        description='Could I get a second 27" monitor? I work with large spreadsheets all day.',
        type="change_request",
        category="Hardware",
        requester="riley",
        assignee="alex",
        status="closed",
        priority="low",
        impact="low",
        details={"desired_date": "+10d", "justification": "Spreadsheet-heavy work."},
        conversation=(
            ("a", "We have one in stock. I'll bring it over tomorrow morning with a cable."),
            ("a", "Installed. Settings -> Display lets you arrange the two screens."),
            ("r", "Looks great, thanks!"),
        ),
    ),
    TicketScript(
        key="laptop-no-boot",
        title="Laptop won't start, presentation in 2 hours",
        description=md(
            """
            My laptop shows the logo and then a **blue screen** with
            `INACCESSIBLE_BOOT_DEVICE`. I have a board presentation at 14:00!
            """
        ),
        type="incident",
        category="Hardware",
        requester="marcus",
        assignee="jordan",
        status="resolved",
        priority="urgent",
        impact="high",
        details={"affected_service": "Laptop", "started_at": "-20m"},
        conversation=(
            (
                "a",
                "Come to the IT desk now and bring the charger: I'll give you a spare laptop "
                "for the presentation. Your files are on OneDrive, so they'll be there.",
            ),
            ("r", "On my way."),
            ("n", "SSD failed SMART. Replaced drive, reimaged, returned next day."),
            (
                "a",
                "Your own laptop is back with a new drive. Please return the spare when you can.",
            ),
        ),
        rating=(4, "Saved my presentation."),
    ),
    TicketScript(
        key="docking-station",
        title="Docking station doesn't detect monitors",
        description=md(
            """
            When I plug my laptop into the dock at hot desk **B-14**, keyboard and mouse
            work but neither monitor turns on.
            """
        ),
        type="problem",
        category="Hardware",
        requester="hannah",
        assignee="alex",
        status="waiting",
        details={
            "steps": "Connect the laptop to the dock at desk B-14.",
            "expected": "Both monitors show the desktop.",
            "actual": "Monitors stay in standby; USB devices work.",
        },
        conversation=(
            ("a", "I updated the dock firmware remotely last night. Could you try again at B-14?"),
            ("r", "Still nothing, sorry."),
            ("n", "Dock firmware current. Maybe the USB-C cable (only USB 2.0?)."),
            (
                "a",
                "Then it's likely the cable. I've left a new one on the desk. Can you swap "
                "it in next time you're at B-14 and tell me if it works?",
            ),
        ),
    ),
    TicketScript(
        key="ergonomic-keyboard",
        title="Can I order an ergonomic keyboard?",
        description="My wrists hurt after long days. Is there an approved ergonomic keyboard?",
        type="question",
        category="Hardware",
        requester="carlos",
        status="new",
        priority="low",
        impact="low",
    ),
    TicketScript(
        key="phone-screen",
        title="Cracked screen on my work phone",
        description="Dropped my work phone, screen is cracked but it still works. Replacement?",
        type="incident",
        category="Hardware",
        requester="grace",
        assignee="priya",
        status="open",
        details={"affected_service": "Mobile phone", "started_at": "-1d"},
        conversation=(("n", "Phone is covered by the insurance plan. Claim form needed."),),
    ),
    TicketScript(
        key="loaner-laptop",
        title="Loaner laptop for the trade fair",
        description=md(
            """
            We need **3 laptops** for the trade fair in Hamburg, with PowerPoint and the demo
            video, for 5 days.
            """
        ),
        type="change_request",
        category="Hardware",
        requester="tom",
        assignee="alex",
        status="waiting",
        details={"desired_date": "+12d", "justification": "Trade fair booth."},
        conversation=(
            (
                "a",
                "We have 3 loaners free that week. Where can I get the demo video, and who "
                "will pick the laptops up?",
            ),
        ),
    ),
    TicketScript(
        key="headset-audio",
        title="Headset microphone not working in calls",
        description=md(
            """
            People can't hear me in Teams calls with my headset. The headset works on my
            phone.
            """
        ),
        type="problem",
        category="Hardware",
        requester="riley",
        assignee="jordan",
        status="closed",
        details={
            "steps": "Join a Teams call with the USB headset.",
            "expected": "Others hear me.",
            "actual": "The microphone level stays at zero.",
        },
        conversation=(
            (
                "a",
                "Windows had the laptop microphone as default. I switched the default input "
                "to the headset for you.",
            ),
            ("resolve", ""),
            ("r", "It worked for a day, now it's silent again after the laptop restarted."),
            ("reopen", ""),
            (
                "n",
                "Audio driver resets the default on reboot. Known issue, driver update fixes it.",
            ),
            (
                "a",
                "I've installed the updated audio driver, which keeps the setting across restarts.",
            ),
            ("r", "Restarted twice, still working. Thanks!"),
        ),
    ),
    TicketScript(
        key="battery-swelling",
        title="Laptop battery swollen, touchpad lifting",
        description=md(
            """
            The touchpad on my laptop is bulging up and the case doesn't close properly.
            Is that dangerous?
            """
        ),
        type="incident",
        category="Hardware",
        requester="aisha",
        assignee="priya",
        status="closed",
        priority="urgent",
        impact="high",
        details={"affected_service": "Laptop", "started_at": "-3h"},
        conversation=(
            (
                "a",
                "Yes: please **shut it down, unplug it and don't charge it**. Bring it to the "
                "IT desk and you'll get a replacement right away.",
            ),
            ("n", "Swapped for a new laptop, old one to hazardous-waste recycling."),
            ("a", "You have your replacement and your data is synced. The old one is disposed of."),
        ),
    ),
    TicketScript(
        key="usb-c-adapters",
        title="USB-C to HDMI adapters in meeting rooms",
        description=md(
            """
            Meeting rooms only have HDMI cables, but most new laptops have USB-C. Could each
            room get an adapter attached to the cable?
            """
        ),
        type="feature_request",
        category="Hardware",
        requester="hannah",
        status="new",
        priority="low",
        impact="low",
    ),
    # --- Software ----------------------------------------------------------------------------
    TicketScript(
        key="excel-macros",
        title="Excel crashes when running the pricing macro",
        description=md(
            """
            The pricing workbook crashes Excel as soon as I click **Update prices**. It worked
            last week. The whole sales team uses it for quotes.
            """
        ),
        type="problem",
        category="Software",
        requester="marcus",
        assignee="alex",
        status="in_progress",
        priority="high",
        impact="high",
        initial_priority="normal",
        details={
            "steps": "Open pricing.xlsm, enable macros, click 'Update prices'.",
            "expected": "Prices refresh from the price list.",
            "actual": "Excel closes without an error message.",
        },
        conversation=(
            ("n", "Whole sales team affected -> raised to high."),
            (
                "a",
                "I can reproduce it. Office updated last Tuesday and the macro uses an old "
                "control that was disabled. I'm testing a fix to the macro now.",
            ),
            ("r", "Thanks. Is there a workaround for today's quotes?"),
            ("a", "Yes: use *pricing-backup.xlsx* in the same folder, it has yesterday's prices."),
        ),
    ),
    TicketScript(
        key="adobe-license",
        title="Adobe Acrobat Pro licence",
        description="I need to edit PDFs for contracts. Could I get an Acrobat Pro licence?",
        type="change_request",
        category="Software",
        requester="grace",
        assignee="jordan",
        status="resolved",
        details={"desired_date": "+5d", "justification": "Contract redlining."},
        conversation=(
            ("n", "Spare Acrobat licence available from the offboarded contractor."),
            ("a", "Assigned you a licence. Sign out and back in to Acrobat to unlock Pro."),
            ("r", "Pro features are there now."),
        ),
    ),
    TicketScript(
        key="install-python",
        title="Install Python on my laptop",
        description="I'd like to learn some Python for reporting. Can I install it?",
        type="question",
        category="Software",
        requester="tom",
        assignee="priya",
        status="closed",
        priority="low",
        impact="low",
        conversation=(
            (
                "a",
                "Sure: Python 3.12 and VS Code are both in the Software Center, no admin "
                "rights needed. Have fun!",
            ),
        ),
    ),
    TicketScript(
        key="teams-screen-share",
        title="Screen sharing in Teams shows a black screen",
        description=md(
            """
            When I share my screen in Teams, the others only see **black**. Sharing a single
            window works.
            """
        ),
        type="problem",
        category="Software",
        requester="riley",
        assignee="alex",
        status="waiting",
        details={
            "steps": "Start a Teams meeting, share 'Screen'.",
            "expected": "Others see my screen.",
            "actual": "Others see a black rectangle.",
        },
        conversation=(
            ("a", "Do you use two monitors, and does it happen on both?"),
            ("r", "Yes two monitors, only the second one shows black."),
            (
                "a",
                "The second monitor runs at a different scaling. I changed the display "
                "driver setting. Could you test a share in your next meeting?",
            ),
        ),
    ),
    TicketScript(
        key="portal-dark-mode",
        title="Dark mode for the help desk portal",
        description="Would love a dark mode for the portal, I work late a lot.",
        type="feature_request",
        category="Software",
        requester="riley",
        status="new",
        priority="low",
        impact="low",
    ),
    TicketScript(
        key="crm-reports-slow",
        title="CRM reports take minutes to load",
        description=md(
            """
            The **Pipeline by region** report in the CRM takes 3-4 minutes to load since
            Monday. Before it was a few seconds.
            """
        ),
        type="problem",
        category="Software",
        requester="carlos",
        team="Service desk",
        status="open",
        priority="high",
        impact="normal",
        details={
            "steps": "CRM -> Reports -> Pipeline by region.",
            "expected": "Loads in a few seconds.",
            "actual": "Takes 3-4 minutes, sometimes times out.",
        },
        conversation=(("r", "Other reports are slower too, but not as bad."),),
    ),
    TicketScript(
        key="zoom-update",
        title="Zoom crashes after the latest update",
        description="Since this morning's update Zoom crashes as soon as I join a meeting.",
        type="incident",
        category="Software",
        requester="hannah",
        assignee="jordan",
        status="closed",
        priority="high",
        impact="normal",
        details={"affected_service": "Zoom", "started_at": "-1h"},
        conversation=(
            ("a", "Could you join from the browser for now? I'm checking the update."),
            ("r", "Browser works but no background blur."),
            ("n", "Vendor confirmed bug in 6.4.0, fix in 6.4.1 next week. Rolled back to 6.3."),
            ("a", "I've rolled Zoom back to the previous version on your laptop."),
        ),
        rating=(2, "Took three days and I missed a client call in between."),
    ),
    TicketScript(
        key="figma",
        title="Figma seat for the marketing intern",
        description="Our intern needs a Figma editor seat for the website redesign.",
        type="change_request",
        category="Software",
        requester="aisha",
        assignee="priya",
        status="in_progress",
        priority="low",
        impact="low",
        details={"desired_date": "+7d", "justification": "Website redesign project."},
        conversation=(
            ("a", "Waiting for the purchase order; I'll add the seat as soon as it's approved."),
        ),
    ),
    TicketScript(
        key="windows-update-ru",
        title="Ошибка при установке обновлений Windows",
        description=md(
            """
            Каждый раз при выключении компьютер пишет, что устанавливает обновления, а после
            включения: **«Не удалось завершить обновления. Отмена изменений»**.
            Код ошибки `0x800f0922`.
            """
        ),
        type="problem",
        category="Software",
        requester="ivan",
        assignee="dmitri",
        status="waiting",
        language="ru",
        details={
            "steps": "Выключить компьютер с установкой обновлений.",
            "expected": "Обновления устанавливаются.",
            "actual": "Откат изменений, ошибка 0x800f0922.",
        },
        conversation=(
            (
                "a",
                "Иван, такая ошибка обычно из-за переполненного системного раздела. Можно "
                "я подключусь удалённо завтра в 10:00?",
            ),
        ),
    ),
    TicketScript(
        key="helpdesk-pdf-export",
        title="Export tickets to PDF",
        description="It would help our audits to export a ticket with its full history as PDF.",
        type="feature_request",
        category="Software",
        requester="marcus",
        assignee="morgan",
        status="closed",
        priority="low",
        impact="low",
        conversation=(
            (
                "a",
                "Thanks Marcus. We discussed it: the browser's *Print -> Save as PDF* on the "
                "ticket page already includes the full history, which covers the audit case. "
                "We won't build a separate export for now.",
            ),
            ("r", "Fair enough, the print view works for us."),
        ),
    ),
    # --- Printing ----------------------------------------------------------------------------
    TicketScript(
        key="printer-jam",
        title="Printer on 2nd floor keeps jamming",
        description="PRN-2A jams on almost every double-sided job since yesterday.",
        type="incident",
        category="Printing",
        requester="riley",
        assignee="jordan",
        status="resolved",
        details={"affected_service": "Printer PRN-2A", "started_at": "-1d"},
        conversation=(
            ("n", "Duplex roller worn. Replacement part in the store room."),
            ("a", "Replaced the duplex roller. Double-sided printing works again."),
        ),
    ),
    TicketScript(
        key="mac-printing",
        title="Can't print from my Mac",
        description=md(
            """
            My Mac shows all printers, but every job goes into the queue and says
            *"Hold for authentication"*.
            """
        ),
        type="problem",
        category="Printing",
        requester="grace",
        assignee="alex",
        status="in_progress",
        details={
            "steps": "Print any document to PRN-2A from macOS.",
            "expected": "It prints.",
            "actual": "Job stuck with 'Hold for authentication'.",
        },
        conversation=(
            ("a", "Did you change your password recently?"),
            ("r", "Yes, last Monday."),
            (
                "a",
                "macOS keeps the old password in the keychain. I'll walk you through removing "
                "it: are you free at 15:00?",
            ),
            ("r", "15:00 works."),
        ),
    ),
    TicketScript(
        key="colour-quota",
        title="Colour printing quota reached",
        description='I can\'t print in colour any more: "quota exceeded". How do I get more?',
        type="question",
        category="Printing",
        requester="tom",
        assignee="jordan",
        status="closed",
        priority="low",
        impact="low",
        conversation=(
            (
                "a",
                "Colour quotas reset on the 1st of each month. If you need more for a "
                "project, your manager can approve a one-off increase: just reply here "
                "with their OK.",
            ),
            ("r", "My manager says OK for 200 more pages."),
            ("a", "Added 200 colour pages to your quota."),
        ),
        rating=(4, "Quick and friendly."),
    ),
    TicketScript(
        key="scan-to-email",
        title="Scan to email stopped working",
        description='The scanner on the 1st floor says "Send failed" when scanning to email.',
        type="problem",
        category="Printing",
        requester="hannah",
        assignee="priya",
        status="waiting",
        priority="low",
        details={
            "steps": "Scan a document on MFP-1 and choose 'Send to my email'.",
            "expected": "The PDF arrives by email.",
            "actual": "The display shows 'Send failed'.",
        },
        conversation=(
            ("n", "The scanner's SMTP relay password expired. Rotated it."),
            ("a", "I've renewed the scanner's mail settings. Does scanning to email work again?"),
        ),
    ),
    TicketScript(
        key="reception-printer",
        title="Printer for the reception desk",
        description="Reception prints visitor badges on the 1st floor printer. Could they get one?",
        type="change_request",
        category="Printing",
        requester="aisha",
        assignee="alex",
        status="open",
        priority="low",
        impact="low",
        details={"desired_date": "+21d", "justification": "Visitor badges printed at the desk."},
    ),
    TicketScript(
        key="print-queue-stuck",
        title="Print queue stuck on PRN-3B",
        description="Nothing prints on PRN-3B, the queue shows 14 jobs waiting.",
        type="incident",
        category="Printing",
        requester="marcus",
        status="new",
        details={"affected_service": "Printer PRN-3B", "started_at": "-30m"},
    ),
    TicketScript(
        key="badge-printing",
        title="Release print jobs with the staff badge",
        description=md(
            """
            Confidential HR documents sit in the printer tray for anyone to see. Could we
            hold jobs until you tap your **badge** at the printer?
            """
        ),
        type="feature_request",
        category="Printing",
        requester="carlos",
        team="Service desk",
        status="open",
        conversation=(
            ("n", "The new MFPs support badge release. Needs a licence; quote requested."),
        ),
    ),
    TicketScript(
        key="toner",
        title="Where do we order toner?",
        description="PRN-2A says toner low. Do we order it ourselves?",
        type="question",
        category="Printing",
        requester="riley",
        assignee="alex",
        status="closed",
        priority="low",
        impact="low",
        conversation=(
            (
                "a",
                "No need: the printers order toner automatically. A cartridge arrives in 2 days.",
            ),
        ),
    ),
    TicketScript(
        key="blank-pages-ru",
        title="Принтер печатает пустые страницы",
        description="Принтер на 2-м этаже (PRN-2B) печатает пустые листы вместо документов.",
        type="incident",
        category="Printing",
        requester="elena",
        assignee="dmitri",
        status="resolved",
        language="ru",
        details={"affected_service": "Принтер PRN-2B", "started_at": "-2h"},
        conversation=(
            ("a", "Елена, на принтере поставили картридж без защитной ленты. Заменил, проверьте?"),
            ("r", "Печатает нормально, спасибо!"),
        ),
    ),
    TicketScript(
        key="label-printer",
        title="Label printer prints misaligned labels",
        description="The shipping label printer cuts off the barcode on every label.",
        type="problem",
        category="Printing",
        requester="grace",
        assignee="jordan",
        status="closed",
        details={
            "steps": "Print a shipping label from the order system.",
            "expected": "The full label with barcode.",
            "actual": "The barcode is cut off at the bottom.",
        },
        conversation=(
            ("r", "Any news? We are writing labels by hand now."),
            ("a", "Sorry for the wait. Is the label size in the driver set to 100 x 150 mm?"),
            ("r", "It says 4 x 6 in."),
            ("a", "That's the cause. I changed it to 100 x 150 mm on the packing PC."),
        ),
        rating=(1, "A week for a driver setting, while we wrote labels by hand."),
    ),
    # --- Infrastructure ----------------------------------------------------------------------
    TicketScript(
        key="fileserver-full",
        title="File server out of space, can't save files",
        description=md(
            """
            Saving anything to `\\\\files\\Projects` fails with *"There is not enough space on
            the disk"*. Whole department blocked.
            """
        ),
        type="incident",
        category="Infrastructure",
        requester="marcus",
        assignee="dmitri",
        status="resolved",
        priority="urgent",
        impact="high",
        initial_priority="high",
        details={"affected_service": "File server FS01", "started_at": "-45m"},
        conversation=(
            ("n", "Volume at 100%: 400 GB of video renders in Projects\\Temp. Shadow copies too."),
            ("a", "I've freed 300 GB for now, saving works again. Working on a permanent fix."),
            ("n", "Extended the volume by 1 TB, added a 90% alert."),
            ("a", "The volume now has 1 TB more and we get warned long before it fills up."),
        ),
    ),
    TicketScript(
        key="restore-folder",
        title="Restore a deleted folder",
        description=md(
            """
            I accidentally deleted the folder `Projects\\Q3 Campaign` yesterday around 16:00.
            Can it be restored?
            """
        ),
        type="question",
        category="Infrastructure",
        requester="hannah",
        assignee="dmitri",
        status="closed",
        priority="high",
        conversation=(
            ("a", "Restored from last night's backup to its original place. Anything missing?"),
            ("r", "Everything's there. You're a lifesaver!"),
        ),
        rating=(5, "Restored within an hour."),
    ),
    TicketScript(
        key="test-vm",
        title="VM for the new test environment",
        description=md(
            """
            For the ERP upgrade we need a test VM:

            | | |
            |---|---|
            | CPU | 4 vCPU |
            | RAM | 16 GB |
            | Disk | 200 GB |
            | OS | Windows Server 2022 |
            """
        ),
        type="change_request",
        category="Infrastructure",
        requester="tom",
        assignee="dmitri",
        status="in_progress",
        details={"desired_date": "+9d", "justification": "ERP upgrade testing."},
        conversation=(
            ("a", "VM is being built. Who should get admin access on it?"),
            ("r", "Me and the ERP consultant (erp.consultant@example.com)."),
            ("n", "External consultant: access via the vendor jump host only."),
        ),
    ),
    TicketScript(
        key="ssl-cert",
        title="Certificate for shop.example.com expires in 3 weeks",
        description="The monitoring email says the shop's TLS certificate expires soon.",
        type="change_request",
        category="Infrastructure",
        requester="carlos",
        assignee="priya",
        status="open",
        priority="high",
        details={"desired_date": "+14d", "justification": "Avoid an outage of the web shop."},
        conversation=(("n", "Move it to automatic renewal (ACME) while we're at it."),),
    ),
    TicketScript(
        key="intranet-down",
        title="Intranet not loading",
        description='The intranet shows *"503 Service Unavailable"* for everyone in my team.',
        type="incident",
        category="Infrastructure",
        requester="riley",
        assignee="dmitri",
        status="resolved",
        priority="urgent",
        impact="high",
        related_to="fileserver-full",
        details={"affected_service": "Intranet", "started_at": "-10m"},
        conversation=(
            ("n", "Intranet app pool crashed: its log volume is on FS01 which filled up."),
            ("a", "The intranet is back. It was knocked out by the full file server."),
            ("r", "Confirmed, loads fine."),
        ),
    ),
    TicketScript(
        key="status-page",
        title="A status page for outages",
        description=md(
            """
            When something is down we all file tickets at once. A simple **status page**
            showing known outages would save everyone time.
            """
        ),
        type="feature_request",
        category="Infrastructure",
        requester="grace",
        status="new",
    ),
    TicketScript(
        key="db-maintenance",
        title="Maintenance window for the ERP database upgrade",
        description="The ERP database needs a version upgrade with ~2 hours of downtime.",
        type="change_request",
        category="Infrastructure",
        requester="marcus",
        assignee="dmitri",
        status="waiting",
        details={"desired_date": "+16d", "justification": "Database version reaches end of life."},
        conversation=(
            (
                "a",
                "The upgrade needs 2 hours of downtime. Would Saturday 08:00-10:00 work for "
                "the finance team, or is there month-end processing then?",
            ),
        ),
    ),
    TicketScript(
        key="server-room-ac",
        title="Server room temperature alarm",
        description="The server room alarm panel shows **31 °C** and is beeping.",
        type="incident",
        category="Infrastructure",
        requester="hannah",
        assignee="dmitri",
        status="in_progress",
        priority="urgent",
        impact="high",
        details={"affected_service": "Server room cooling", "started_at": "-20m"},
        conversation=(
            ("n", "AC unit 2 failed. Portable cooler in place, technician arrives at 14:00."),
            (
                "a",
                "Thanks for the alert. A temporary cooler runs; the technician comes at 14:00.",
            ),
        ),
    ),
    TicketScript(
        key="dev-server-ru",
        title="Нужен доступ к серверу разработки",
        description=md(
            """
            Для нового проекта нужен доступ по SSH к серверу `dev-app-02`.
            Руководитель проекта: Марк Джонсон.
            """
        ),
        type="change_request",
        category="Infrastructure",
        requester="ivan",
        status="new",
        language="ru",
        details={"desired_date": "+5d", "justification": "Новый проект, нужна отладка на сервере."},
    ),
    TicketScript(
        key="dns-name",
        title="DNS name for the new dashboard",
        description="Could we get `dashboard.example.com` pointing to the new reporting server?",
        type="question",
        category="Infrastructure",
        requester="tom",
        assignee="priya",
        status="closed",
        priority="low",
        impact="low",
        conversation=(
            (
                "a",
                "Created dashboard.example.com -> 10.20.4.15. It can take up to an hour to work.",
            ),
            ("r", "Works, thanks!"),
        ),
    ),
    # --- Billing -----------------------------------------------------------------------------
    TicketScript(
        key="subscription-invoice",
        title="Invoice for the design software subscription",
        description="Accounting needs the invoice for last month's design software subscription.",
        type="question",
        category="Billing",
        requester="carlos",
        assignee="morgan",
        status="resolved",
        conversation=(
            ("a", "Attached the invoice to your email and forwarded a copy to accounting."),
            ("r", "Got it, thanks Morgan."),
        ),
    ),
    TicketScript(
        key="double-charge",
        title="Licence renewal charged twice",
        description=md(
            """
            Our credit card statement shows the **project management tool** renewal twice
            (2 x 1,440 EUR) on the same day.
            """
        ),
        type="incident",
        category="Billing",
        requester="marcus",
        assignee="morgan",
        status="in_progress",
        priority="high",
        details={"affected_service": "Licence billing", "started_at": "-2d"},
        conversation=(
            (
                "n",
                "Vendor portal: two orders, one auto-renew, one manual. Asked for a refund.",
            ),
            ("a", "It was a duplicate order on the vendor's side. I've requested a refund."),
        ),
    ),
    TicketScript(
        key="cost-centre",
        title="Change cost centre for my team's licences",
        description="Our team moved to cost centre **4410**. Please update our software licences.",
        type="change_request",
        category="Billing",
        requester="grace",
        assignee="alex",
        status="closed",
        priority="low",
        impact="low",
        details={"desired_date": "+30d", "justification": "Reorganisation."},
        conversation=(("a", "Updated all 6 licences to cost centre 4410 from next month."),),
    ),
    TicketScript(
        key="where-invoices",
        title="Where can I see our software invoices?",
        description="Is there one place where I can see all IT invoices for my department?",
        type="question",
        category="Billing",
        requester="riley",
        assignee="alex",
        status="closed",
        priority="low",
        impact="low",
        conversation=(
            (
                "a",
                "Managers can see them in the finance portal under *Reports -> IT charges*. "
                "I can send you a monthly summary if you prefer?",
            ),
            ("r", "The portal is enough, thanks."),
        ),
        rating=(5, "Didn't know that report existed!"),
    ),
    TicketScript(
        key="expense-tool",
        title="Expense tool rejects my receipts",
        description='Uploading a receipt photo in the expense tool fails with "Invalid file".',
        type="problem",
        category="Billing",
        requester="aisha",
        assignee="jordan",
        status="waiting",
        details={
            "steps": "Expenses -> New -> attach a photo from the phone.",
            "expected": "The receipt is attached.",
            "actual": "'Invalid file' error.",
        },
        conversation=(
            ("a", "Are the photos in HEIC format (the iPhone default)? Could you send me one?"),
        ),
    ),
    TicketScript(
        key="department-report",
        title="Monthly IT cost report per department",
        description="Could managers get a monthly report of IT costs for their department?",
        type="feature_request",
        category="Billing",
        requester="hannah",
        assignee="morgan",
        status="open",
        conversation=(("n", "Check with finance whether the ERP can produce this first."),),
    ),
    TicketScript(
        key="laptop-po",
        title="Purchase order for 5 laptops",
        description="We're hiring 5 people next quarter. Please raise a PO for 5 standard laptops.",
        type="change_request",
        category="Billing",
        requester="tom",
        status="new",
        details={"desired_date": "+30d", "justification": "Five new hires next quarter."},
    ),
    TicketScript(
        key="vat-number",
        title="Wrong VAT number on the hosting invoice",
        description="The hosting invoice has our old VAT number, so finance can't book it.",
        type="problem",
        category="Billing",
        requester="elena",
        assignee="alex",
        status="resolved",
        priority="high",
        details={
            "steps": "Open the latest hosting invoice.",
            "expected": "Our current VAT number.",
            "actual": "The VAT number from before the merger.",
        },
        conversation=(
            (
                "a",
                "I updated our details in the provider's portal and asked for a corrected invoice.",
            ),
            ("a", "The corrected invoice is in the finance mailbox."),
            ("r", "Finance booked it, thank you."),
        ),
    ),
    TicketScript(
        key="licence-invoice-ru",
        title="Вопрос по счёту за лицензии",
        description="В счёте за лицензии 25 позиций, а у нас в отделе 20 сотрудников. Почему?",
        type="question",
        category="Billing",
        requester="ivan",
        assignee="dmitri",
        status="open",
        language="ru",
        conversation=(("n", "Проверить, не остались ли лицензии уволенных сотрудников."),),
    ),
    TicketScript(
        key="refund-seats",
        title="Refund for cancelled seats",
        description="We cancelled 3 seats of the survey tool in March. Will we get a refund?",
        type="question",
        category="Billing",
        requester="carlos",
        assignee="morgan",
        status="closed",
        conversation=(
            ("a", "The vendor credits unused seats on the next invoice: 3 x 42 EUR."),
            ("r", "Good to know, thanks."),
        ),
    ),
)
