# comake-bot replies in English. Every user-facing sentence lives here and in ko.ftl.

## Errors
error-internal = Something went wrong on our side. If it keeps happening, give your server manager this error id: `{ $id }`
error-store-down = The bot's storage isn't answering right now. Try again in a minute; if it keeps happening, give your server manager this error id: `{ $id }`
error-comake-down = Comake isn't answering right now. { $changed ->
    [no] Nothing was changed.
   *[maybe] It may or may not have gone through: check with `/contract show` before trying again.
  } Please try again in a minute. (error id `{ $id }`)
error-comake-auth = The bot can't sign in to Comake: its API key may have been changed. Please tell your server manager. (error id `{ $id }`)
error-rate-limited = You're going a bit fast. Wait a few seconds and try again.
error-not-linked = Your Discord account isn't linked to Comake yet. Use `/comake register` to create a Comake user, or ask a server manager to link your existing one with `/comake-admin link`.
error-guild-not-allowed = This bot serves only its company's Discord servers, and this isn't one of them.
error-unknown-command = I don't know that command; the bot may have just been updated. Try again in a minute.
error-not-admin = Only server managers (Manage Server permission) can use this command.
error-guild-only = This command works only in a server.
error-dm-not-allowed = This bot works only in your company's Discord servers, not in direct messages.
error-dm-not-member = This button works only for members of the company's Discord servers, and you're no longer in any of them.
error-member-check = I couldn't check with Discord that you're still in the company's server, so nothing was done. Please try again in a minute.
error-not-admin-role = Only members with one of the bot's admin roles can use this command. Ask a server manager if you need it.
error-register-mismatch = Comake answered with a different email address than the one you proved, so nothing was linked. Please tell your server manager. (error id `{ $id }`)

## Input checks
invalid-email = That email address doesn't look right. Check it and try again.
invalid-email-local = Use an address whose part before the @ has only Latin letters, digits and . _ + - (for example kim.cs@company.example).
invalid-name = Names must be 1 to 100 characters.
invalid-phone = Phone numbers need 8 to 15 digits; `+`, `-` and spaces are fine.
invalid-password = Passwords can be at most 64 characters.
invalid-message = Messages can be at most 500 characters.
invalid-reason = Reasons can be at most 500 characters.
invalid-kakao-needs-phone = KakaoTalk notifications need a phone number.
invalid-contract = That isn't one of your contracts. Start typing its name and pick it from the list.
invalid-domain = Self-registration is limited to { $domains } addresses. Ask a server manager to link you.
invalid-page = That page doesn't exist.

## Linking
register-disabled = Self-registration is turned off on this server. Ask a server manager to link your Comake user with `/comake-admin link`, or to create one for you with `/comake-admin register`.
register-code-sent = If { $email } can receive mail, an 8-digit code is on its way. It's valid for { $minutes } minutes: press **Enter code** when you have it. Nothing is linked until you do.
register-enter-code = Enter code
register-code-title = Confirm your email
register-code-label = The 8-digit code from the mail
register-code-none = No code is waiting for you, or it has expired. Run `/comake register` again to get a new one.
register-code-wrong = That code isn't right. { $left ->
    [one] You have one more try.
   *[other] You have { $left } more tries.
  }
register-code-locked = That was the last try, so this code no longer works. Run `/comake register` again to get a new one.
register-code-expired = That code has expired. Run `/comake register` again to get a new one.
register-too-many = You asked for too many codes recently. Please try again in { $minutes ->
    [one] a minute.
   *[other] { $minutes } minutes.
  }
mail-code-subject = Your Comake bot code
mail-code-body = Hello,

    Discord user { $user } asked to link this email address to their Discord account with the company's Comake bot.

    Your code is: { $code }

    Enter it in Discord within { $minutes } minutes. If you didn't ask for this, ignore this mail: nothing is linked without the code, and nobody from the company will ask you for it.
register-already-linked = You're already linked to Comake as { $email }. Use `/comake unlink` first if you want to link another account.
register-email-exists = A Comake user with that email already exists. Nobody can claim an existing Comake account from Discord: ask a server manager to link it for you with `/comake-admin link`.
register-email-linked = That email is already linked to another Discord account. Ask a server manager if this is a mistake.
register-done = Done! Your Discord account is now linked to the new Comake user **{ $name }** ({ $email }). Try `/contract new` to upload your first contract.
whoami-linked = You're linked to Comake as **{ $name }** ({ $email }) since { $since }, { $method ->
    [admin] linked by <@{ $by }>.
   *[self] registered by yourself.
  }
unlink-done = Your Discord account is no longer linked to { $email }. The Comake account and its contracts are untouched.
unlink-none = Your Discord account wasn't linked to Comake.
unlink-ask = Unlink your Discord account from the Comake user { $email }? The contract commands stop working for you here; the Comake account and its contracts stay as they are. To link this Comake user again, a server manager will have to do it (`/comake-admin link`).
button-unlink = Unlink

## Links
link-new = Here is your private link to upload a new contract: upload the document, place the signature fields, then name and save it.
link-edit = Here is your private link to change **{ $name }**: its document and its signature fields.
link-warning = It signs you in to Comake as { $email } for one hour. Don't share it.
link-button-new = Upload a contract
link-button-edit = Change the contract

## States
state-saved = Saved
state-approving = Awaiting approval
state-approval_cancelled = Approval withdrawn
state-approval_rejected = Approval rejected
state-approved = Approved
state-signing = Out for signature
state-sign_cancelled = Signing cancelled
state-sign_rejected = Signing declined
state-completed = Completed
state-unknown = In an unknown state
tab-all = all
tab-preparing = preparing
tab-signing = out for signature
tab-completed = completed
tab-stopped = stopped
hint-signing = Cancel the signature requests first with `/contract cancel-sign`.
hint-approving = Wait until the internal approval is finished; the approval request can be withdrawn on the Comake website.
hint-completed = Every party has signed, so it can't change any more.
hint-other = Open it on the Comake website to see why.
hint-not-out = There are no signature requests out to withdraw.
signee-waiting = waiting
signee-viewed = viewed
signee-signed = signed
signee-rejected = declined
signee-unknown = unknown

## List and show
list-empty = No contracts here ({ $tab }). Use `/contract new` to upload one.
list-header = Your contracts ({ $tab }), page { $page } of { $pages } ({ $total } in all):
list-line = **{ $name }** · { $state } · { $text } · changed { $when }
list-line-plain = **{ $name }** · { $state } · changed { $when }
list-received = (received)
button-previous = Previous
button-next = Next
show-header = **{ $name }** · { $state }
show-role-sender = You sent this contract.
show-role-sender-unsent = This is your contract; it hasn't been sent for signature yet.
show-role-receiver = This contract was sent to you.
show-parties = **Parties and signees**
show-party = { $party }: { $signee }
show-no-signee = no signee yet
approval-line = **Approval line**
approver-line = { $order }. { $name } · { $state }
approver-next = { $order }. { $name } · { $state } ← next
approver-waiting = waiting
approver-approved = approved
approver-rejected = rejected
approver-unknown = unknown
approver-fallback = Approver { $n }
show-signee = { $name } ({ $email }) · { $status }
show-signee-unsent = { $name } ({ $email })
show-history = **Recent history**
show-event = { $when } · { $what }
show-event-said = { $event }: “{ $message }”
button-edit = Change
button-request = Request signatures
button-cancel-sign = Cancel signing
button-delete = Delete
button-confirm = Confirm
button-send = Send
button-never-mind = Never mind

## Actions
rename-done = Renamed to **{ $name }**. Only you see this name; the other parties still see their own name for the contract.
delete-confirm = Delete **{ $name }**? Once deleted, it can't be undone from Discord.
delete-confirm-trash = Move **{ $name }** to your Comake trash? You can restore it from the trash on the Comake website.
delete-done = **{ $name }** was deleted; this can't be undone from Discord.
cancel-confirm = Withdraw the signature requests for **{ $name }**? The signees will no longer be able to sign it.
cancel-done = The signature requests for **{ $name }** were withdrawn.
confirm-expired = This confirmation has expired or was already used. Run the command again.
confirm-dismissed = OK, nothing was changed.
not-owner = Only the sender of **{ $name }** can do that.
wrong-state = **{ $name }** is now “{ $state }”, so that isn’t possible. { $hint }
signee-done = **{ $party }** of **{ $name }** will be signed by { $signee } ({ $email }).
signee-password-elsewhere = Another party's signee has a password that only the Comake website knows; setting signees from Discord would remove it. Set them on the Comake website instead: open the contract there and choose **Request signatures**, the dialog where signees and their passwords are set.
signee-unknown-party = **{ $name }** has no such party. Pick one from the list.
request-missing = These parties have no signee yet: { $parties }. Set them with `/contract signee`, or give a name and email here when exactly one is missing.
request-inline-needs-one = You gave a signee here, but { $count } parties still lack one. Set them one by one with `/contract signee`.
request-inline-nothing-missing = Every party already has a signee. To change one, use `/contract signee`.
request-inline-incomplete = To set a signee here, give both a name and an email.
request-preview = Send **{ $name }** for signature to these people?
request-preview-line = { $party }: { $signee } ({ $email }){ $kakao ->
    [yes] , also by KakaoTalk
   *[no] {""}
  }{ $password ->
    [yes] , with a password to open it
   *[no] {""}
  }
request-preview-changed = The signees of **{ $name }** changed since the preview, so nothing was sent. This is what Send would do now:
request-preview-footer = Press **Send** to email the signature requests. This can't be undone, only cancelled.
request-sent = The signature requests for **{ $name }** are on their way.
request-already-sent = The signature requests for **{ $name }** were already sent; nothing was sent again.
comake-refused-input = Comake refused those values. Check them and try again.
comake-forbidden = Comake answered that you have no access to that contract.
comake-not-found = That contract doesn't exist in Comake any more.

## Admin
admin-link-done = <@{ $user }> is now linked to the Comake user **{ $name }** ({ $email }).
admin-not-member = <@{ $user }> isn't a member of this server, so they can't be linked here.
admin-link-taken = That email is already linked to <@{ $owner }>. Unlink them first with `/comake-admin unlink`.
admin-link-self = You can't link your own Discord account: another server manager must do it, so nobody gives themself access to a Comake account. (A company with a single manager can allow it with ADMIN_SELF_LINK=true.)
admin-link-mail-subject = Your email address was linked to a Discord account
admin-link-mail-body = Hello,

    { $admin }, a manager of the Discord server { $server }, linked this email address ({ $email }) to the Discord user { $user } in the company's Comake bot. That Discord account can now create, send and read the Comake contracts of this address through the bot.

    If you expected this, there is nothing to do. If not, tell your company's administrator at once: they can remove the link, and the bot's audit log shows who made it.
admin-link-dm = { $admin } linked your Discord account to the Comake user { $email } in { $server }. You can now work with your Comake contracts here. If you didn't expect this, tell a server manager.
admin-unlink-done = <@{ $user }> is no longer linked (was { $email }).
admin-unlink-none = <@{ $user }> wasn't linked.
admin-list-empty = No accounts are linked yet.
admin-list-header = Linked accounts, page { $page } of { $pages } ({ $total } in all):
admin-list-line = <@{ $user }> · { $email } · { $method ->
    [admin] linked by an admin
   *[self] self-registered
  } · { $since }
admin-audit-empty = The audit log is empty.
admin-audit-header = Newest audit log entries:
admin-audit-line = { $when } · <@{ $user }> · { $action }{ $contract } · { $outcome }
audit-account-register = registered a new Comake user
audit-account-unlink = unlinked their account
audit-admin-link = linked
audit-admin-unlink = unlinked
audit-contract-cancel-sign = withdrew signature requests
audit-contract-delete = deleted a contract
audit-contract-link-edit = got a link to change a contract
audit-contract-link-new = got a link to upload a contract
audit-contract-rename = renamed a contract
audit-contract-request-sign = requested signatures
audit-contract-set-signee = set a signee
audit-contract-share = shared a status card
audit-contract-unshare = stopped a status card
audit-notifications-digest-daily = turned the daily digest on
audit-notifications-digest-weekly = turned the weekly digest on
audit-notifications-digest-off = turned the digest off
audit-notifications-off = turned notifications off
audit-notifications-on = turned notifications on
audit-register-code-expired = let a registration code expire
audit-register-code-failed = entered a wrong registration code
audit-register-code-proven = proved their email with a code
audit-register-code-sent = asked for a registration code
audit-other = did something this version does not name
audit-outcome-ok = done
audit-outcome-refused = refused
audit-outcome-error = failed, error id
audit-outcome-other = not done
audit-outcome-not-sent = not sent
audit-outcome-wrong = wrong code
audit-outcome-locked = locked
audit-outcome-expired = expired
audit-detail-not-theirs = not their contract
audit-detail-signees-changed = the signees changed on the website
audit-detail-muted = the colleague muted this contract
audit-detail-dms-closed = the colleague's DMs are closed
audit-detail-already-nudged = already nudged today
audit-detail-not-sender = not the sender
audit-detail-not-linked = not linked
audit-detail-not-their-turn = not their turn
audit-detail-automatic = automatic
audit-detail-email-exists = the email exists in Comake
audit-detail-other-email = Comake answered with another email
audit-detail-email-linked = the email is linked to someone else
audit-detail-created-unlinked = the Comake user was created, a link made meanwhile kept
audit-detail-too-many-codes = too many codes for this email
comake-conflict = Comake refused that in the contract's current state. Check it with `/contract show`.

## Notifications
notify-enabled = Notifications are on: I'll send you a DM when a contract you sent is opened, signed or declined, when everyone has signed, when an approver approves or rejects it, and when it's your turn to sign or approve. DMs never contain sign-in links.
notify-disabled = Notifications are off. Turn them back on with `/comake notifications enabled:True`.
dm-header = News about your Comake contracts:
dm-viewed = **{ $signee }** opened **{ $name }**.
dm-signed = **{ $signee }** signed **{ $name }**.
dm-rejected = **{ $signee }** declined to sign **{ $name }**.
dm-rejected-reason = **{ $signee }** declined to sign **{ $name }**: “{ $reason }”
dm-completed = Everyone has signed **{ $name }**: it is complete.
dm-cancelled = The signature requests for **{ $name }** were withdrawn.
dm-waiting = Your turn: **{ $name }** is waiting for your signature.
dm-button-how = How do I sign { $name }?
dm-footer = Mute a contract with its button below; choose what you get with `/comake notifications`.
dm-how-to-sign = To sign **{ $name }**, open the signing link Comake sent you by email (or KakaoTalk). For your safety this bot never sends sign-in links in messages. `/contract show` shows how far the contract has got.
party-fallback = Party { $n }
show-history-more = …and { $count } earlier entries, on the Comake website.
request-too-many = This contract has { $count } signees, more than a Discord message can list, so nothing was prepared. Send the signature requests from the Comake website.
error-not-delivered = Discord didn't accept my answer, so you didn't see it. Please try again; if it keeps happening, give your server manager this error id: `{ $id }`
admin-audit-more = …and { $count } older entries that did not fit here. Pick one member with `/comake-admin audit user:` to see theirs.
pending-none = Nothing of yours is out for signature or approval, and nothing waits on you.
pending-sent-line = **{ $name }** ({ $state }): { $who }, since { $since }
pending-not-signed = not yet signed by { $names }
pending-approval = waiting for its approvers (approval is on the Comake website)
pending-not-approved = not yet approved by { $names } (approval is on the Comake website)
pending-more-on-web = …and more on the Comake website.
list-in-box = { $tab }, { $box }
box-all = all
box-sent = sent by you
box-received = sent to you
box-my_turn = your turn
dm-waiting-approval = Your turn: **{ $name }** is waiting for your approval, on the Comake website.
dm-approved = **{ $name }** was approved: you can now request signatures.
dm-button-request = Request signatures
dm-approval-rejected = An approver rejected **{ $name }**.
dm-approval-rejected-reason = An approver rejected **{ $name }**: “{ $reason }”
dm-withdrawn-mine = The request waiting on you for **{ $name }** was withdrawn by its sender: there is nothing for you to do.
dm-approval-cancelled = The approval request for **{ $name }** was withdrawn.
hint-approval-rejected = An approver rejected it: change it on the Comake website (`/contract edit`) and ask for approval again there, or delete it.
notify-digest-daily = Digest on: every day at 09:00 ({ $zone }), a DM with your contracts waiting on others for more than { $days ->
    [one] a day
   *[other] { $days } days
  } and those waiting on you (none when there are none).
notify-digest-weekly = Digest on: every Monday at 09:00 ({ $zone }), a DM with your contracts waiting on others for more than { $days ->
    [one] a day
   *[other] { $days } days
  } and those waiting on you.
notify-settings = Your notifications:
    • Real-time DMs: { $live }
    • Digest: { $digest }
    • Kinds of DM: { $kinds }
    • Muted contracts: { $muted }
    • Your status cards: { $cards }
    Change them with `/comake notifications` and its options `enabled:`, `digest:`, `off:` and `on:`.
notify-settings-live-on = on
notify-settings-live-off = off
notify-settings-live-closed = on, but paused: your DMs are closed to the bot (any command of yours resumes them)
notify-settings-digest-off = off
notify-settings-digest-daily = every day at 09:00 ({ $zone })
notify-settings-digest-weekly = every Monday at 09:00 ({ $zone })
notify-digest-off = Digest off.
digest-header = Your Comake digest:
digest-stale = **{ $name }** has waited on others since { $since }.
digest-waiting = **{ $name }** has waited for your signature or approval since { $since }.
digest-more = …and { $count } more: see `/contract pending`.
card-header = **{ $name }**: { $state }
card-party = { $party }: { $signee }, { $progress }
card-party-open = { $party }: no signee yet
card-live = Shared by { $owner } · last change { $changed } · kept up to date by the Comake bot until the contract ends.
card-final = Shared by { $owner } · last change { $changed } · final: no longer updated.
button-share = Share in this channel
button-unshare = Unshare
card-shared = Posted **{ $name }**'s status card in this channel; it updates by itself until the contract ends or you unshare it. It shows names and progress only.
card-preview = Post this status card in this channel? **Everyone who can read the channel will see exactly this**, kept up to date until the contract ends or you unshare it:
button-post = Post in this channel
card-not-posted = OK, nothing was posted.
card-channel-not-listed = Status cards can't be posted in this channel: the bot's settings list the channels where they may go.
card-member-no-permission = You can't send messages in this channel yourself, so the bot won't post a card here for you.
card-unshared = The card is no longer updated; it stays as it is.
card-not-shared = You have no status card for that contract.
card-no-channel = Status cards go in a server channel.
card-no-permission = I can't post in this channel: a server manager must let the bot view it and send messages there.
card-ended = **{ $name }** has ended: there is nothing left to keep up to date.
card-already-shared = **{ $name }** already has a status card; unshare it first to post a new one.
card-just-posted = A status card of **{ $name }** was posted here less than a minute ago, so this press posted nothing. To post a new one, try again in a minute.
delete-done-trash = **{ $name }** is now in your Comake trash; you can restore it from there on the Comake website.
history-created = { $actor } created the contract
history-signees-set = { $actor } set the signees
history-approval-requested = { $actor } asked for approval
history-approved = { $actor } approved
history-approval-rejected = { $actor } rejected the approval
history-approval-cancelled = { $actor } withdrew the approval request
history-sign-requested = { $actor } requested signatures
history-viewed = { $actor } opened the document
history-signed = { $actor } signed
history-sign-rejected = { $actor } declined to sign
history-sign-cancelled = { $actor } withdrew the signature requests
history-completed = Everyone has signed: the contract is complete
history-trashed = { $actor } moved it to the trash
history-other = { $actor } made another change (see the Comake website)
history-actor-me = You
history-actor-sender = The sender
history-actor-someone = Someone
help = **The Comake bot, in short**
    • **Every day**: `/contract new` gives you a private link to upload a contract and place its signature fields on the Comake website → `/contract signee` names who signs each party (`member:` picks a linked colleague, `me:True` yourself; **Set signees** on `/contract show` opens a form instead) → `/contract request-sign` shows who will get a request, and **Send** sends it. `/contract pending` shows what is waiting, and on whom; `/contract show` shows one contract, its history, and buttons for what it allows.
    • **Private**: every answer is seen only by you. Links carry a one-hour sign-in and are shown only to you. Only what you choose to post is public: a status card (**Share in this channel** on `/contract show`), which shows people outside the company by masked names, and your contract board (`/contract board`: counts, and names only of contracts you sent; no people).
    • **Notifications**: the bot DMs you when a contract you sent moves (each approval step too), when it is your turn to sign or approve, and how contracts sent to you end. `/comake notifications` shows your settings; its `off:` and `on:` choose which kinds you get, each DM's **Mute** button silences one contract, and `digest` sends a morning summary instead or as well.
    • **Nudges**: on `/contract pending`, `/contract show` and the digest, **Nudge** DMs a linked colleague whose turn it is to sign or approve (once a day per contract). People outside the company cannot be reminded by the bot. `/contract request-sign remind_after:` nudges by itself after that many days.
    • **First time**: `/comake register` (if your company allows it) or ask an admin to link you.

## Onboarding: admins create Comake users, and what works in this configuration
error-not-linked-admin = Your Discord account isn't linked to Comake yet. Ask a server manager to link your Comake user with `/comake-admin link`, or, if you have none, to create one for you with `/comake-admin register`.
admin-link-no-user-open = Comake has no user with that email in your company. They can create one themselves with `/comake register`, or you can create it for them with `/comake-admin register`.
admin-link-no-user-admin = Comake has no user with that email in your company. Create one for them with `/comake-admin register`. (Self-registration is off on this bot: it has no mail server to send codes.)
admin-register-done = <@{ $user }> is now linked to the new Comake user **{ $name }** ({ $email }).
admin-register-raced = Meanwhile <@{ $user }> was linked to { $email } (another server manager, or a second press), so they stay linked to it. The Comake user { $created } was created but is linked to no one; link it to someone with `/comake-admin link` if it was meant for them.
admin-register-exists = Comake already has a user with { $email }, so none was created. Link <@{ $user }> to it with `/comake-admin link`.
admin-register-already-linked = <@{ $user }> is already linked to { $email }, so no Comake user was created. To move them to another existing Comake user, use `/comake-admin link`; to start over, `/comake-admin unlink` first.
admin-register-refused-input = Comake refused that name, email or phone number. Check them and try again.
audit-admin-register = created a Comake user for

## Pending, split as Comake's dashboard: approval waiting and signature waiting
pending-split-header = **Waiting** (page { $page } of { $pages }): { $approval } for approval, { $signature } for signature; { $mine } of them on you
pending-group-approval = __Waiting for approval__
pending-group-signature = __Waiting for signature__
pending-mine-line = **{ $name }**: { $asked ->
    [approval] your approval
   *[signature] your signature
  } is asked, since { $since }

## Signees: request messages kept when one party's signee changes
signee-message-unknown = The signee of { $party } on **{ $name }** was set on the Comake website, so the bot can't know the request message written there (Comake doesn't read messages back), and setting a signee here would erase it. Nothing was changed: set the signees on the Comake website instead (open the contract and choose **Request signatures**).
## Picking signees, the signee form, next steps and the team board
signee-pick-one = Pick the signee one way: `member:` (a linked colleague), `me:True` (you), or a typed name and email for someone outside the company.
signee-member-not-linked = That member isn't linked to a Comake user, so their name and email aren't known. Ask them to link with `/comake register` (or an admin), or type the name and email instead.
request-missing-pick = These parties of **{ $name }** have no signee yet: { $parties }. Press a party to set its signee, then **Request signatures** again.
button-set-signees = Set signees
button-show = Show
signee-form-button = Signee: { $party }
signee-form-choose = Who signs for each party of **{ $name }**? Press a party to set its signee:
signee-form-line = { $party }: { $signee }
signee-form-line-open = { $party }: no signee yet
signee-form-too-many = This contract has { $count } parties, more than buttons can hold. Set them with `/contract signee`.
signee-form-title = Signee of { $party }
signee-form-name = Name
signee-form-email = Email
signee-form-phone = Mobile phone (optional)
signee-form-message = Message to the signee (optional)
dm-created = **{ $name }** is saved. Next: set who signs, then request signatures.
board-header = **Contract board of { $owner }**
board-sign-me = Waiting for my signature
board-approve-me = Waiting for my approval
board-out = Out for signature
board-in-approval = In approval
board-editable = Can be changed
board-line-none = { $label }: 0
board-line-count = { $label }: **{ $count }**
board-line = { $label }: **{ $count }** · { $names }
board-line-more = { $label }: **{ $count }** · { $names } and { $more } more
board-footer = Posted by { $owner } · kept up to date by the Comake bot until unshared. Names only of contracts { $owner } sent (those sent to them are counted, not named); no people, emails or links.
board-preview = Post your contract board in this channel? **Everyone who can read the channel will see exactly this**, kept up to date until you unshare it:
board-preview-replace = Post your contract board here again? Your board already in this channel stops updating and this one takes its place. **Everyone who can read the channel will see exactly this**:
board-posted = Posted your contract board in this channel; it updates by itself until you unshare it (`/contract board`, then **Unshare**).
board-replaced = Your earlier board here is no longer updated.
board-just-posted = Your board was posted here less than a minute ago, so this press posted nothing. Try again in a minute.
board-unshared = Your board here is no longer updated; it stays as it is.
board-none = You have no board in this channel.
board-no-channel = A contract board goes in a server channel.
board-channel-not-listed = Contract boards can't be posted in this channel: the bot's settings list the channels where they may go.
board-member-no-permission = You can't send messages in this channel yourself, so the bot won't post a board here for you.
board-no-permission = I can't post in this channel: a server manager must let the bot view it and send messages there.
audit-contract-board = posted a contract board
audit-contract-board-unshare = stopped a contract board
## Nudges (재촉)
nudge-button = Nudge { $name }
nudge-button-on = Nudge { $name }: { $contract }
nudge-outside = Outside the company: { $names }. The bot cannot remind them (Comake's API has no reminder); remind them from the Comake website: <{ $web }>
nudge-sent = **{ $who }** got a DM nudging them about **{ $name }**. You can nudge them about it again tomorrow.
nudge-too-soon = **{ $who }** was already nudged about this contract today. The next nudge is possible { $next }.
nudge-dms-closed = **{ $who }** does not take DMs from the bot, so no nudge went out. Remind them another way.
nudge-muted = **{ $who }** muted news about **{ $name }**, so the bot won't nudge them about it. Remind them another way.
nudge-not-linked = That colleague is no longer linked to Comake here, so the bot cannot nudge them.
nudge-not-their-turn = It is not that person's turn on **{ $name }** now, so nothing was sent.
nudge-dm-sign = **{ $sender }** asks you to sign **{ $name }**: it has waited for your signature since { $since }.
nudge-dm-approve = **{ $sender }** asks you to approve **{ $name }**: it has waited for your approval since { $since }.
invalid-remind-after = `remind_after` takes 1 to 30 days.
request-remind = Automatic nudge: if it has not moved in { $days ->
        [one] a day
       *[other] { $days } days
    }, the colleague whose turn it is gets one nudge by DM.
request-remind-kept = If it has not moved in { $days ->
        [one] a day
       *[other] { $days } days
    }, the colleague whose turn it is gets one nudge by DM (the bot cannot remind people outside the company).
request-remind-lost = The automatic nudge could not be set up: press a **Nudge** button on `/contract pending` when you want one.
audit-contract-nudge = nudged a colleague

## Notification choices: approval steps, kinds of news, muted contracts
dm-approval-line = Approval line:
dm-approval-step = **{ $name }**: approval { $n } of { $of }, approved by **{ $approver }**.
dm-approval-step-rejected = **{ $name }**: approval { $n } of { $of }, rejected by **{ $approver }**.
dm-approval-step-rejected-reason = **{ $name }**: approval { $n } of { $of }, rejected by **{ $approver }**: “{ $reason }”
dm-button-mute = Mute “{ $name }”
notify-button-unmute = Unmute “{ $name }”
notify-muted = Muted **{ $name }**: no more DMs about it, digest included. Undo it with the button below or in `/comake notifications`.
notify-unmuted = **{ $name }** is unmuted: I'll DM you about it again (what happened while it was muted is not sent).
notify-unmute-none = That contract is not muted.
notify-mute-unknown = I can't find that contract among yours any more, so there is nothing to mute.
notify-mute-full = You have { $max } muted contracts already, the most there can be. Unmute one in `/comake notifications` first.
news-kind-viewed = Opened by a signee
news-kind-signed = Signed by a signee
news-kind-declined = Declined by a signee
news-kind-completed = Completed or withdrawn
news-kind-approval = Approval steps
news-kind-my_turn = My turn to sign or approve
notify-kind-off = Off: “{ $kind }”. I won't DM you about it; turn it back on with `/comake notifications on:`.
notify-kind-on = On: “{ $kind }”. I'll DM you about it again (what happened while it was off is not sent).
notify-kind-both = Pick different kinds for `off:` and `on:`.
notify-settings-kinds-all = all
notify-settings-kinds-off = all but { $kinds }
notify-settings-none = none
notify-settings-muted = { $names } (the buttons below unmute them)
notify-settings-card = **{ $name }** in { $channel }
notify-settings-card-unnamed = a contract
notify-settings-cards-more = and { $count } more
audit-notifications-kind-off = turned one kind of notification off
audit-notifications-kind-on = turned one kind of notification on
audit-notifications-mute = muted a contract's notifications
audit-notifications-unmute = unmuted a contract's notifications
