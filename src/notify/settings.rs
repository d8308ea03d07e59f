//! What people's commands change in the watcher's plans: their notification settings, and hints that their box is worth reading now.

use crate::app::App;
use crate::store::{Digest, NotifyState, StoreError};

/// A user ran a command: remember their language for DMs, make them
/// reachable again, and read their box at once (what they did may have
/// started something). Writes only when something changed.
pub async fn touch(app: &App, user: u64, locale: &str) {
    let Ok(state) = app.store.notify_state(user).await else {
        return;
    };
    let now = crate::app::now();
    if state.as_ref().is_some_and(|s| {
        s.locale == locale && !s.unreachable && s.next_read.is_some_and(|t| t <= now)
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
