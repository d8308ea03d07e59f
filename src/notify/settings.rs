//! What people's commands change in the watcher's plans: their notification settings (on/off, digest, kinds, muted contracts), and hints that their box is worth reading now.

use crate::app::App;
use crate::store::{Digest, NewsKind, NotifyState, StoreError, MAX_MUTED};

/// A user ran a command: remember their language for DMs, make them
/// reachable again, and read their box at once (what they did may have
/// started something). Writes only when something changes: not when the
/// language is the same and the person is reachable and either already
/// due (or never read: due at once) or not read at all (notifications off;
/// a digest does not wait on reads).
pub async fn touch(app: &App, user: u64, locale: &str) {
    let Ok(state) = app.store.notify_state(user).await else {
        return;
    };
    let now = crate::app::now();
    if state.as_ref().is_some_and(|s| {
        s.locale == locale && !s.unreachable && (!s.enabled || s.next_read.is_none_or(|t| t <= now))
    }) {
        return;
    }
    // No state yet: the first read creates it; keep the locale anyway, for
    // a linked person only.
    if state.is_none() && !matches!(app.store.account(user).await, Ok(Some(_))) {
        return;
    }
    let locale = locale.to_owned();
    let existed = state.is_some();
    let due = now;
    let updated = app
        .store
        .update_notify_state(user, move |now| {
            // Gone since it was read: unlinked meanwhile, so not recreated.
            let mut now = match now {
                Some(now) => now,
                None if existed => return None,
                None => NotifyState::fresh(),
            };
            now.locale.clone_from(&locale);
            now.unreachable = false;
            now.next_read = Some(now.next_read.map_or(due, |t| t.min(due)));
            Some(now)
        })
        .await;
    match updated {
        Ok(_) => app.notify_hints.push(user),
        Err(e) => tracing::warn!(error = %e, "could not update the notification state"),
    }
}

/// A signature request went to `email`: if a linked person has it, read
/// their box at once (the request is now waiting on them).
pub async fn hint_email(app: &App, email: &str) {
    let Ok(Some(account)) = app.store.account_by_email(email).await else {
        return;
    };
    let due = crate::app::now();
    let updated = app
        .store
        .update_notify_state(account.discord_id, move |state| {
            let mut state = state?;
            if state.next_read.is_some_and(|t| t <= due) {
                return None;
            }
            state.next_read = Some(due);
            Some(state)
        })
        .await;
    match updated {
        Ok(_) => app.notify_hints.push(account.discord_id),
        Err(e) => tracing::warn!(error = %e, "could not hint the watcher"),
    }
}

/// `/comake notifications digest:`: set how often, starting at the next
/// slot (turning it on does not send one for a slot already past).
pub(crate) async fn set_digest(app: &App, user: u64, digest: Digest) -> Result<(), StoreError> {
    let now = crate::app::now();
    app.store
        .update_notify_state(user, move |state| {
            let mut state = state.unwrap_or_else(NotifyState::fresh);
            state.digest = digest;
            state.last_digest = Some(now);
            Some(state)
        })
        .await?;
    app.notify_hints.push(user);
    Ok(())
}

/// `/comake notifications enabled:…`: turning them on from off starts from
/// a fresh baseline, so nothing old is announced; asking for what is
/// already so changes nothing. A read in progress does not write over a
/// change (the generation changes).
pub(crate) async fn set_enabled(app: &App, user: u64, enabled: bool) -> Result<(), StoreError> {
    app.store
        .update_notify_state(user, move |now| {
            let mut state = now.unwrap_or_else(NotifyState::fresh);
            if state.enabled == enabled {
                // Already so: nothing changes, and above all no new
                // baseline, which would silently drop what moved since
                // the last read.
                return None;
            }
            state.enabled = enabled;
            state.generation = state.generation.wrapping_add(1);
            if enabled {
                state.unreachable = false;
                state.baseline = false;
                state.contracts.clear();
            }
            Some(state)
        })
        .await?;
    // The watcher's plan for them changes at once (read for a new
    // baseline, or no longer read), not at its next reload.
    app.notify_hints.push(user);
    Ok(())
}

/// What `/comake notifications` with no option shows: the settings as
/// they are, changing nothing.
pub(crate) async fn current(app: &App, user: u64) -> Result<NotifyState, StoreError> {
    Ok(app.store.notify_state(user).await?.unwrap_or_default())
}

/// `/comake notifications off:` / `on:`: stop or start DMs of one kind.
/// Whether that changed anything (asking for what is so writes nothing).
pub(crate) async fn set_kind(
    app: &App,
    user: u64,
    kind: NewsKind,
    on: bool,
) -> Result<bool, StoreError> {
    let written = app
        .store
        .update_notify_state(user, move |state| {
            let mut state = state.unwrap_or_else(NotifyState::fresh);
            let changed = if on {
                state.kinds_off.remove(&kind)
            } else {
                state.kinds_off.insert(kind)
            };
            changed.then_some(state)
        })
        .await?;
    Ok(written.is_some())
}

/// What a Mute press did.
pub(crate) enum Muted {
    /// Muted now; the contract's name.
    Now(String),
    /// It was muted already (a second click): nothing done.
    Already(String),
    /// Not a contract the watcher knows of the person's.
    Unknown,
    /// [`MAX_MUTED`] contracts are muted already.
    Full,
}

/// The Mute button: no more DMs about contract `id` of the person's. A
/// double click mutes once.
pub(crate) async fn mute(app: &App, user: u64, id: &str) -> Result<Muted, StoreError> {
    let key = id.to_owned();
    let written = app
        .store
        .update_notify_state(user, move |state| {
            let mut state = state?;
            if state.muted.contains_key(&key) || state.muted.len() >= MAX_MUTED {
                return None;
            }
            let name = state.contracts.get(&key)?.name.clone();
            state.muted.insert(key.clone(), name);
            Some(state)
        })
        .await?;
    if let Some(name) = written.and_then(|s| s.muted.get(id).cloned()) {
        return Ok(Muted::Now(name));
    }
    let state = app.store.notify_state(user).await?.unwrap_or_default();
    Ok(match state.muted.get(id) {
        Some(name) => Muted::Already(name.clone()),
        None if !state.contracts.contains_key(id) => Muted::Unknown,
        None => Muted::Full,
    })
}

/// The Unmute button: DMs about contract `id` again. The name it was
/// muted under, when it was muted (once, however often it is pressed).
pub(crate) async fn unmute(app: &App, user: u64, id: &str) -> Result<Option<String>, StoreError> {
    let key = id.to_owned();
    let removed = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = removed.clone();
    let written = app
        .store
        .update_notify_state(user, move |state| {
            let mut state = state?;
            let name = state.muted.remove(&key)?;
            if let Ok(mut seen) = seen.lock() {
                *seen = Some(name);
            }
            Some(state)
        })
        .await?;
    let name = removed.lock().ok().and_then(|mut n| n.take());
    Ok(written.and(name))
}
