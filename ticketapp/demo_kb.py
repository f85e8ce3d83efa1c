"""Demo knowledge-base articles (English and Russian), seeded by services/kb_seed.py.

Each entry: title, body (markdown), category (a seeded category name), tags (comma-separated),
audience ("public" | "internal"), status ("published" | "draft"), language ("en" | "ru").
The relevance test (tests/unit/test_kb_relevance.py) searches these, so keep titles stable.
"""

from __future__ import annotations

DEMO_ARTICLES: list[dict[str, str]] = [
    # ------------------------------------------------------------------ English
    {
        "title": "How to reset your password",
        "category": "Access & accounts",
        "tags": "password, reset, sign-in, self-service",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """You can reset a forgotten or expired password yourself in about two minutes.

## Reset it yourself
1. Open the sign-in page and click **Forgot password?**
2. Enter your work email address and click **Send link**.
3. Open the email "Reset your password" (check the spam folder if it is not there within
   5 minutes) and click the link. The link works once and expires after 30 minutes.
4. Choose a new password: at least 12 characters, not used before, not a common word.
5. Sign in again on every device that used the old password: phone mail, VPN, Wi-Fi.

## If the reset email never arrives
- Make sure you typed your *work* address, not a personal one.
- If your account is locked after too many attempts, wait 15 minutes or see
  "Account locked out after failed sign-ins".
- Still stuck? File a ticket from another colleague's computer or call the service desk;
  we will verify your identity before resetting the password for you.
""",
    },
    {
        "title": "Set up multi-factor authentication (MFA)",
        "category": "Access & accounts",
        "tags": "mfa, 2fa, two-factor, authenticator, security",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Multi-factor authentication protects your account even if your password leaks.
It is required for email, VPN and remote access.

## Set up the authenticator app
1. Install **Microsoft Authenticator** or any TOTP app (Google Authenticator, 1Password)
   on your phone.
2. On a computer, go to *My account -> Security info* and click **Add sign-in method**.
3. Choose **Authenticator app** and scan the QR code with the phone.
4. Enter the six-digit code the app shows to confirm.

## Backup options
Add a second method (SMS to your mobile number, or a hardware key) so a lost phone does not
lock you out. Keep the recovery codes somewhere safe, not on the same phone.

## New phone?
Before you wipe the old phone, add the new phone as a method. If the old one is already gone,
file a ticket: an agent will reset your MFA after verifying your identity.
""",
    },
    {
        "title": "Account locked out after failed sign-ins",
        "category": "Access & accounts",
        "tags": "lockout, locked, account, sign-in",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """After five wrong passwords in a row your account is locked for 15 minutes to
stop password-guessing attacks.

## What to do
1. Wait 15 minutes; the lock lifts by itself.
2. Sign in with the correct password. If you are unsure of it, use "Forgot password?"
   instead of guessing again.
3. If you get locked again and again without typing anything, an old password is saved
   somewhere: a phone mail app, a mapped network drive, the Wi-Fi profile or the VPN client.
   Update or remove the saved password there.

## Locked right away?
Someone may be trying to guess your password. Change it and file a ticket so security can
look at the sign-in log.
""",
    },
    {
        "title": "Connect to the VPN",
        "category": "Network & VPN",
        "tags": "vpn, remote access, globalprotect, work from home",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """The VPN gives you access to internal sites, file shares and servers when you
work from home or travel.

## First-time setup
1. Install the **GlobalProtect** client from the Software Center (Windows) or Self Service
   (macOS).
2. Open it and enter the portal address `vpn.example.com`.
3. Sign in with your work email and password, then approve the MFA prompt on your phone.

## Every day
Click the GlobalProtect icon in the system tray or menu bar and choose **Connect**. The icon
shows a shield when you are connected. Disconnect when you no longer need internal resources:
video calls are smoother without the VPN.
""",
    },
    {
        "title": "VPN not connecting: troubleshooting",
        "category": "Network & VPN",
        "tags": "vpn, troubleshooting, connection failed, remote access",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Work through these checks in order; most VPN problems are fixed by step 3.

1. **Check the internet connection** without the VPN: can you open a public website?
2. **Check the clock.** A wrong date or time on the computer makes the certificate check fail.
3. **Reconnect:** sign out of the VPN client, quit it, start it again and connect.
4. **Hotel or guest Wi-Fi:** open a browser first and accept the captive portal page.
5. **MFA prompt not arriving:** open the authenticator app manually and approve from there.
6. **"Gateway not responding":** try the other gateway in the client's drop-down list.

If it still fails, file a ticket with a screenshot of the error and the time it happened.
""",
    },
    {
        "title": "Connect to the office Wi-Fi",
        "category": "Network & VPN",
        "tags": "wifi, wi-fi, wireless, network, guest",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """There are two wireless networks in every office.

- **CORP**: for company laptops and phones. Sign in with your work email and password
  (WPA2-Enterprise). Accept the certificate `radius.example.com` the first time.
- **GUEST**: for visitors and personal devices. The password is printed at reception and
  changes every Monday. Guest Wi-Fi has internet only; use the VPN for internal resources.

## Wi-Fi keeps disconnecting
1. Forget the network and join it again (this clears an old saved password).
2. Turn Wi-Fi off and on, or restart the laptop.
3. Move closer to an access point; meeting rooms in the basement have weak coverage.
""",
    },
    {
        "title": "Printer shows as offline",
        "category": "Printing",
        "tags": "printer, offline, printing, print queue",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """When a printer appears as *offline* your documents wait in the queue and nothing
prints.

## Fix it
1. Check the printer itself: is it on, is there an error on its display, is the network cable
   plugged in?
2. On Windows open *Settings -> Bluetooth & devices -> Printers & scanners*, pick the printer,
   open the print queue and cancel stuck documents.
3. Untick **Use Printer Offline** in the queue's *Printer* menu.
4. Restart the **Print Spooler** service or simply restart the computer.
5. Remove the printer and add it again from `\\\\print01`.

If several people cannot print to the same printer, it is the printer: file a ticket with its
name (printed on the sticker on the front).
""",
    },
    {
        "title": "Clear a paper jam",
        "category": "Printing",
        "tags": "printer, paper jam, jammed, tray",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """The printer display shows where the paper is stuck (tray, fuser, duplex unit).

1. Open the door or tray shown on the display. Careful: the fuser area inside can be hot.
2. Pull the jammed sheet out slowly with both hands, in the direction the paper travels,
   so it does not tear.
3. Check for torn scraps left inside; a small piece causes the next jam.
4. Fan the paper stack, check the paper guides touch the stack, and close all doors.

Repeated jams usually mean damp or wrong-weight paper or a worn roller: file a ticket and
mention the printer name and which tray jams.
""",
    },
    {
        "title": "Install a printer driver",
        "category": "Printing",
        "tags": "printer, driver, install, add printer",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Company printers install their driver automatically when you add them.

## Windows
1. Press Win+R, type `\\\\print01` and press Enter.
2. Double-click the printer you want (the name is on its front sticker); the driver installs
   by itself.

## macOS
Open *System Settings -> Printers & Scanners*, click **+**, choose the printer under
*Default* and select **Generic PostScript** if the exact model is not offered.

You do not need admin rights. If Windows asks for an administrator password, the driver is
not yet approved: file a ticket with the printer model.
""",
    },
    {
        "title": "Set up work email on your phone",
        "category": "Email",
        "tags": "email, mail, phone, mobile, outlook, iphone, android",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Use the **Outlook** app on iPhone or Android; it supports MFA and keeps company
data separate from your personal data.

1. Install Outlook from the App Store or Google Play.
2. Open it, tap **Add account** and enter your work email address.
3. Sign in with your password and approve the MFA prompt.
4. If asked to install **Company Portal** or to set a screen lock, accept: this is required
   for company mail on personal phones.

The built-in Mail app on iPhone and Gmail on Android are not supported and will keep asking
for your password.
""",
    },
    {
        "title": "Access a shared mailbox",
        "category": "Email",
        "tags": "shared mailbox, email, outlook, permissions, team inbox",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Shared mailboxes such as `support@` or `billing@` belong to a team, not a person.

## Get access
File a ticket with the mailbox address; your manager or the mailbox owner must approve it.

## Open it in Outlook
After access is granted, the mailbox appears in the Outlook folder list on its own within an
hour. If it does not, go to *File -> Account settings -> Account settings -> Change ->
More settings -> Advanced* and add it under **Open these additional mailboxes**.

In Outlook on the web, right-click *Folders* and choose **Add shared folder or mailbox**.
To send as the shared address, choose it in the **From** field.
""",
    },
    {
        "title": "Set an out-of-office automatic reply",
        "category": "Email",
        "tags": "out of office, automatic reply, vacation, email, ooo",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Let people know you are away and who to contact instead.

## Outlook desktop
*File -> Automatic Replies*, choose **Send automatic replies**, tick *Only send during this
time range*, set the dates, and write one message for people inside the company and one for
outside senders.

## Outlook on the web
*Settings -> Mail -> Automatic replies*, switch them on and set the dates.

Keep it short: dates you are away, who covers for you, and no travel details for external
senders.
""",
    },
    {
        "title": "Laptop won't boot or turn on",
        "category": "Hardware",
        "tags": "laptop, boot, power, black screen, startup",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Before you file a ticket, try these steps.

1. **Power:** plug in the original charger and check the charging light. Try another wall
   socket.
2. **Hard reset:** unplug everything, hold the power button for 30 seconds, then plug the
   charger back in and press power once.
3. **External monitor or dock:** disconnect it; a laptop sometimes boots to the external
   screen only.
4. **BitLocker recovery screen:** do not guess. File a ticket and give the *Recovery key ID*
   shown on the screen; an agent will read the key to you.
5. **Stuck on the logo or "Preparing automatic repair":** leave it 20 minutes once, then
   restart.

Still dead? File a ticket; we will swap the laptop and restore your files from backup.
""",
    },
    {
        "title": "Connect an external monitor",
        "category": "Hardware",
        "tags": "monitor, display, screen, dock, hdmi, usb-c",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Desks have a USB-C dock that gives power, network and up to two monitors with one
cable.

1. Plug the dock's USB-C cable into the laptop (the port with the lightning or display icon).
2. Press Win+P (Windows) and choose **Extend**; on macOS open *System Settings -> Displays*.
3. Drag the screens in the display settings so they match how they stand on the desk.

## No picture
- Check the monitor is on and set to the right input (DisplayPort or HDMI).
- Reconnect the dock cable, then restart with the dock attached.
- Blurry text: set the monitor's native resolution and 100% scaling.
""",
    },
    {
        "title": "Request new software installation",
        "category": "Software",
        "tags": "software, install, application, license, request",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Most approved applications are a click away.

## Approved software
Open **Software Center** (Windows) or **Self Service** (macOS), search for the application
and click **Install**. No admin rights or ticket needed.

## Anything else
File a ticket of type *Change request* with the product name, version, why you need it and
your manager's approval if it costs money. We check licensing and security, then install it
for you or add it to Software Center, usually within three working days.

Please do not install software from the internet with a personal admin account; it will be
removed by the endpoint protection.
""",
    },
    {
        "title": "Activate Microsoft Office (unlicensed product)",
        "category": "Software",
        "tags": "office, microsoft 365, activation, license, word, excel",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """A red bar saying **Unlicensed product** or **Product activation failed** means
Office does not know who you are.

1. Open Word, click your name (top right) and choose **Switch account**; sign in with your
   work email.
2. Close all Office applications and open them again.
3. If it persists, open *File -> Account* and click **Update license**.
4. Still failing: sign out of every account there, restart the computer and sign in once.

Each person can activate Office on up to five devices; sign out on old devices at
`office.com -> My account -> Devices`.
""",
    },
    {
        "title": "Clear your browser cache and cookies",
        "category": "Software",
        "tags": "browser, cache, cookies, chrome, edge, firefox",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """A web application that shows old data, a broken page or a sign-in loop often
works again after clearing the cache.

- **Chrome / Edge:** press Ctrl+Shift+Delete, choose *All time*, tick *Cookies* and
  *Cached images and files*, click **Clear data**.
- **Firefox:** Ctrl+Shift+Delete, *Everything*, tick *Cookies* and *Cache*, **OK**.
- **Safari:** *Settings -> Privacy -> Manage Website Data -> Remove All*.

You will be signed out of websites. To test first without clearing anything, open the page
in a private (incognito) window.
""",
    },
    {
        "title": "Disk full: free up space on your computer",
        "category": "Hardware",
        "tags": "disk full, storage, low disk space, cleanup",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """A full disk makes the computer slow and stops updates from installing.

1. Empty the **Downloads** folder and the Recycle Bin.
2. Run **Disk Cleanup** (Windows) and tick *Temporary files* and *Windows Update Cleanup*;
   on macOS use *System Settings -> General -> Storage*.
3. Set OneDrive files to **Free up space**: they stay visible and download when opened.
4. Move large videos and archives to your network drive or OneDrive.

Do not delete files in `C:\\Windows` or `Program Files`. If the disk is still full, file a
ticket: we can check what uses the space or give you a larger disk.
""",
    },
    {
        "title": "Restore deleted files from backup",
        "category": "Infrastructure",
        "tags": "backup, restore, deleted files, recovery, onedrive",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Deleted or overwritten a file? You can often get it back yourself.

## OneDrive and SharePoint
- Deleted: open the **Recycle bin** on the OneDrive website; files stay there 93 days.
- Overwritten: right-click the file -> **Version history** and restore an older version.

## Network drives
Right-click the folder -> **Properties -> Previous Versions**; snapshots are taken every
four hours and kept for 30 days.

## Older than that
Servers are backed up nightly and kept for 90 days. File a ticket with the full path, the file
name and the date it was last correct; restores take one working day.
""",
    },
    {
        "title": "Invoices and billing questions",
        "category": "Billing",
        "tags": "invoice, billing, payment, receipt, vat",
        "audience": "public",
        "status": "published",
        "language": "en",
        "body": """Account owners can download invoices and change billing details themselves.

## Download an invoice
Sign in, open *Settings -> Billing -> Invoices* and click the PDF icon next to the month.
Invoices are issued on the first working day of the month.

## Change the card or billing address
*Settings -> Billing -> Payment method*. The new card is charged from the next invoice.
To add a VAT number or a purchase order reference, edit **Company details**; it appears on
future invoices.

## Wrong amount or double charge
File a ticket in the *Billing* category with the invoice number. Refunds reach the card
within 5-10 working days.
""",
    },
    {
        "title": "New employee onboarding checklist",
        "category": "Access & accounts",
        "tags": "onboarding, new hire, new employee, accounts, laptop",
        "audience": "internal",
        "status": "published",
        "language": "en",
        "body": """Agent checklist for a new starter. Start at least three working days before the
first day.

1. Create the account from the HR ticket (name, department, manager, start date).
2. Add the groups for the department; shared mailboxes only with the owner's approval.
3. Prepare a laptop: enroll it, install the standard software, check BitLocker and
   updates.
4. Register an MFA temporary access pass valid on the first day.
5. Print the welcome sheet: Wi-Fi, VPN, how to file a ticket.
6. On day one: hand over the laptop, help set up MFA and phone email, close the ticket.
""",
    },
    {
        "title": "Server down: incident runbook",
        "category": "Infrastructure",
        "tags": "server, outage, incident, runbook, on-call",
        "audience": "internal",
        "status": "published",
        "language": "en",
        "body": """For agents and on-call engineers when a server or service stops responding.

1. **Confirm:** check the monitoring dashboard and ping the host from two networks.
2. **Declare:** open an *Incident* ticket with priority Urgent; link user reports to it.
3. **Communicate:** post a status update to the #status channel every 30 minutes.
4. **Diagnose:** console access via the hypervisor; check disk space, memory and the last
   deployment or change.
5. **Restore service first:** restart the service, fail over, or roll back the last change.
6. **Close out:** resolve linked tickets, write a short post-incident review within two
   working days.
""",
    },
    {
        "title": "Moving to the new phone system",
        "category": "Infrastructure",
        "tags": "phone, telephony, teams calling, migration",
        "audience": "public",
        "status": "draft",
        "language": "en",
        "body": """Draft, not yet published. Desk phones are being replaced by Teams calling.

Your number stays the same. On the migration day, calls ring in Teams on the computer and
the phone app; voicemail moves automatically. Headsets are available from the service desk.
""",
    },
    # ------------------------------------------------------------------ Russian
    {
        "title": "Как сбросить пароль",
        "category": "Access & accounts",
        "tags": "пароль, сброс пароля, вход, учётная запись",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """Забытый или просроченный пароль можно сбросить самостоятельно.

1. На странице входа нажмите **Забыли пароль?**
2. Введите рабочий адрес электронной почты и нажмите **Отправить ссылку**.
3. Откройте письмо «Сброс пароля» (проверьте папку «Спам») и перейдите по ссылке.
   Ссылка действует 30 минут.
4. Придумайте новый пароль: не короче 12 символов, не использованный ранее.
5. Введите новый пароль на всех устройствах: в почте на телефоне, в VPN, в Wi-Fi.

Если письмо не приходит, а учётная запись заблокирована, подождите 15 минут или обратитесь
в службу поддержки по телефону — мы проверим вашу личность и сбросим пароль.
""",
    },
    {
        "title": "Принтер не печатает",
        "category": "Printing",
        "tags": "принтер, печать, очередь печати, офлайн",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """Документы отправлены, но принтер ничего не печатает? Проверьте по порядку.

1. Принтер включён, на его экране нет ошибки, есть бумага и тонер.
2. Откройте очередь печати (*Параметры → Принтеры и сканеры*) и удалите зависшие документы.
3. Снимите флажок **Работать автономно** в меню «Принтер».
4. Перезагрузите компьютер — это перезапускает службу диспетчера печати.
5. Удалите принтер и добавьте его снова с сервера `\\\\print01`.

Если не печатает ни у кого в отделе, проблема в самом принтере: создайте заявку и укажите
его название с наклейки на передней панели.
""",
    },
    {
        "title": "Не работает VPN",
        "category": "Network & VPN",
        "tags": "vpn, удалённый доступ, подключение, ошибка",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """VPN не подключается или постоянно отключается? Выполните проверки по порядку.

1. Проверьте интернет без VPN: открываются ли обычные сайты?
2. Проверьте дату и время на компьютере — при неверном времени сертификат не проходит
   проверку.
3. Выйдите из клиента GlobalProtect, закройте его и запустите снова.
4. В гостинице или кафе сначала откройте браузер и примите условия гостевой сети.
5. Если не приходит запрос MFA, откройте приложение-аутентификатор вручную.

Если ничего не помогло, создайте заявку и приложите снимок экрана с ошибкой.
""",
    },
    {
        "title": "Настройка почты на телефоне",
        "category": "Email",
        "tags": "почта, телефон, outlook, смартфон, android, iphone",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """Для рабочей почты на телефоне используйте приложение **Outlook**.

1. Установите Outlook из App Store или Google Play.
2. Нажмите **Добавить учётную запись** и введите рабочий адрес почты.
3. Введите пароль и подтвердите вход в приложении-аутентификаторе (MFA).
4. Если приложение попросит установить **Корпоративный портал** или задать блокировку
   экрана — согласитесь, это обязательное требование.

Встроенные почтовые приложения iPhone и Gmail не поддерживаются.
""",
    },
    {
        "title": "Подключение к Wi-Fi в офисе",
        "category": "Network & VPN",
        "tags": "wifi, wi-fi, беспроводная сеть, гостевая сеть",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """В офисе две беспроводные сети.

- **CORP** — для рабочих ноутбуков и телефонов. Войдите с рабочей почтой и паролем,
  при первом подключении примите сертификат `radius.example.com`.
- **GUEST** — для гостей и личных устройств. Пароль есть на ресепшене, он меняется каждый
  понедельник.

Если Wi-Fi постоянно отключается, удалите сеть из списка («Забыть сеть»), подключитесь
заново и перезагрузите ноутбук.
""",
    },
    {
        "title": "Учётная запись заблокирована",
        "category": "Access & accounts",
        "tags": "блокировка, учётная запись, вход, пароль",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """После пяти неверных паролей подряд учётная запись блокируется на 15 минут.

1. Подождите 15 минут — блокировка снимется автоматически.
2. Если не помните пароль, не угадывайте, а воспользуйтесь сбросом пароля.
3. Если блокировка повторяется сама, где-то сохранён старый пароль: в почте на телефоне,
   в сетевом диске, в профиле Wi-Fi или в VPN-клиенте. Обновите его там.
""",
    },
    {
        "title": "Ноутбук не включается",
        "category": "Hardware",
        "tags": "ноутбук, питание, загрузка, чёрный экран",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """Прежде чем создавать заявку, попробуйте следующее.

1. Подключите родное зарядное устройство и проверьте индикатор зарядки.
2. Отключите всё, удерживайте кнопку питания 30 секунд, затем подключите зарядку и
   включите ноутбук.
3. Отсоедините док-станцию и внешний монитор.
4. Если появился экран восстановления BitLocker, не вводите ничего наугад — создайте
   заявку и сообщите идентификатор ключа восстановления.

Если ноутбук так и не загружается, мы выдадим подменный и восстановим файлы из резервной
копии.
""",
    },
    {
        "title": "Как установить программу",
        "category": "Software",
        "tags": "программа, установка, приложение, лицензия",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """Одобренные программы устанавливаются самостоятельно из **Центра программного
обеспечения** (Windows) или **Self Service** (macOS): найдите программу и нажмите
«Установить». Права администратора не нужны.

Если нужной программы там нет, создайте заявку типа «Запрос на изменение»: укажите
название, версию, зачем она нужна, и согласование руководителя, если программа платная.
Обычно установка занимает до трёх рабочих дней.
""",
    },
    {
        "title": "Закончилось место на диске",
        "category": "Hardware",
        "tags": "диск, место на диске, очистка, хранилище",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """Когда диск заполнен, компьютер тормозит и не устанавливает обновления.

1. Очистите папку «Загрузки» и корзину.
2. Запустите **Очистку диска** и отметьте временные файлы и файлы обновлений Windows.
3. Для файлов OneDrive выберите **Освободить место** — они останутся видны и скачаются при
   открытии.
4. Перенесите большие видео и архивы на сетевой диск.

Не удаляйте файлы из папок Windows и Program Files.
""",
    },
    {
        "title": "Счета и оплата",
        "category": "Billing",
        "tags": "счёт, оплата, бухгалтерия, закрывающие документы",
        "audience": "public",
        "status": "published",
        "language": "ru",
        "body": """Владелец аккаунта может сам скачать счета и изменить платёжные данные.

- **Скачать счёт:** *Настройки → Оплата → Счета*, значок PDF рядом с нужным месяцем.
  Счета выставляются в первый рабочий день месяца.
- **Сменить карту:** *Настройки → Оплата → Способ оплаты*.
- **Закрывающие документы** (акты, счета-фактуры) отправляются по электронной почте до
  5-го числа следующего месяца.

Если сумма неверная или оплата списалась дважды, создайте заявку в категории «Billing» и
укажите номер счёта.
""",
    },
    {
        "title": "Регламент: сервер недоступен",
        "category": "Infrastructure",
        "tags": "сервер, авария, инцидент, дежурство",
        "audience": "internal",
        "status": "published",
        "language": "ru",
        "body": """Для агентов и дежурных инженеров.

1. Подтвердите недоступность по мониторингу и пингом из двух сетей.
2. Создайте заявку типа «Инцидент» с приоритетом «Срочный» и привяжите к ней обращения
   пользователей.
3. Каждые 30 минут публикуйте статус в канале #status.
4. Сначала восстановите работу сервиса (перезапуск, переключение, откат изменения),
   затем ищите причину.
""",
    },
]
