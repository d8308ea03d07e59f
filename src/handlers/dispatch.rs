//! The pipeline every interaction goes through: the trust gate, the per-user limit, the deferral, the handler, delivery, audit, metrics and the log line.

use std::future::Future;
use std::time::{Duration, Instant};

use super::{
    autocomplete, button, button_route, comake, press, reply, route, run, App, Ctx, DeliveryError,
    Failure, HandlerResult, Invocation, Kind, Reply, Responder,
};
use button::ButtonId;

/// How handling an interaction ended, for logs and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub name: String,
    /// `ok`, `refused` or `error`.
    pub result: &'static str,
    pub error_id: Option<String>,
    pub(crate) latency: Duration,
}

/// Handle one interaction and deliver the answer through `responder`.
pub async fn dispatch<R: Responder>(app: &App, inv: &Invocation, responder: &R) -> Outcome {
    let started = Instant::now();
    let ctx = Ctx::new(app, inv);
    // A button is parsed once, here; `None`: not one of ours.
    // A form's id is read the same way: the signee form's is one of ours
    // (the registration code form's is not).
    let pressed: Option<ButtonId> = match inv.kind {
        Kind::Component | Kind::Modal => inv.custom_id.parse().ok(),
        _ => None,
    };
    // A button id submitted as a form, or a form's id pressed as a button,
    // is no one's.
    let pressed =
        pressed.filter(|b| matches!(b, ButtonId::SigneeSave { .. }) == (inv.kind == Kind::Modal));
    let pressed = pressed.as_ref();
    let name = match inv.kind {
        Kind::Command => inv.command.clone(),
        Kind::Autocomplete => format!("{} (autocomplete)", inv.command),
        Kind::Component => format!("button {}", button_kind(&inv.custom_id)),
        Kind::Modal => format!("modal {}", button_kind(&inv.custom_id)),
    };
    let gated = match gate(&ctx, pressed) {
        // A DM button answers only someone still in a listed server.
        Ok(()) if is_dm_button(inv, pressed) => {
            app.members
                .gate(inv.user, &app.config.discord.guild_ids)
                .await
        }
        other => other,
    };
    let (result, error_id) = match gated {
        Err(refusal) => {
            metrics::counter!(crate::metric::REFUSED, "why" => refusal).increment(1);
            tracing::warn!(
                command = %name,
                guild = inv.guild.unwrap_or(0),
                why = refusal,
                "refused an interaction from outside the company's servers"
            );
            let body = match inv.kind {
                Kind::Autocomplete => reply::choices(&[]),
                _ => reply::message(&Reply::text(ctx.t(refusal, &[]))),
            };
            deliver(responder.callback(body).await, &name);
            ("refused", None)
        }
        Ok(()) => {
            let handled = match inv.kind {
                Kind::Autocomplete => {
                    let choices = if app.autocomplete_limiter.check_key(&inv.user).is_ok() {
                        autocomplete::complete(&ctx).await
                    } else {
                        metrics::counter!(crate::metric::RATE_LIMITED).increment(1);
                        Vec::new()
                    };
                    deliver(responder.callback(reply::choices(&choices)).await, &name);
                    ("ok", None)
                }
                Kind::Command | Kind::Component | Kind::Modal => {
                    handle(&ctx, responder, &name, pressed).await
                }
            };
            ctx.write_audit().await;
            if inv.kind != Kind::Autocomplete && handled.0 != "refused" {
                crate::notify::touch(app, inv.user, &inv.locale).await;
            }
            handled
        }
    };
    let outcome = Outcome {
        name,
        result,
        error_id,
        latency: started.elapsed(),
    };
    let label = match inv.kind {
        Kind::Command => route(&inv.command).map_or("unknown", |r| r.command),
        Kind::Autocomplete => "autocomplete",
        Kind::Component => "button",
        Kind::Modal => "modal",
    };
    metrics::counter!(crate::metric::COMMANDS, "command" => label, "outcome" => outcome.result)
        .increment(1);
    metrics::histogram!(crate::metric::COMMAND_SECONDS, "command" => label)
        .record(outcome.latency.as_secs_f64());
    tracing::info!(
        command = %outcome.name,
        outcome = outcome.result,
        latency_ms = outcome.latency.as_millis() as u64,
        error_id = outcome.error_id.as_deref().unwrap_or(""),
        "interaction handled"
    );
    outcome
}

/// The kind of a button or modal id: the part before the first `:`.
fn button_kind(custom_id: &str) -> &str {
    custom_id.split(':').next().unwrap_or_default()
}

/// A button on one of our notification DMs: the one thing served outside
/// the company's servers (it answers only a linked user).
fn is_dm_button(inv: &Invocation, pressed: Option<&ButtonId>) -> bool {
    // How to sign; Mute, and the Unmute its answer offers; Request
    // signatures on an "approved" DM, and the Send or Never mind of the
    // preview it opens; Set signees, a party's form and its submit, and
    // Show on the next-steps DM; Nudge on the digest (the routes say
    // which). The handlers behind them act only for a linked person, on
    // their own contracts, through their own Comake user, and a
    // confirmation only for the person who asked.
    matches!(inv.kind, Kind::Component | Kind::Modal)
        && inv.guild.is_none()
        && pressed.is_some_and(|b| button_route(b).in_dm)
}

/// The trust boundary, before any Comake or store work: only the company's
/// servers are served; in a DM only the buttons of our own DMs (and the
/// confirmation those open). `Err` is
/// the message that explains the refusal.
fn gate(ctx: &Ctx<'_>, pressed: Option<&ButtonId>) -> Result<(), &'static str> {
    let inv = ctx.inv;
    if is_dm_button(inv, pressed) {
        return Ok(());
    }
    match inv.guild {
        Some(guild) if ctx.app.config.discord.guild_ids.contains(&guild) => Ok(()),
        Some(_) => Err("error-guild-not-allowed"),
        None => Err("error-dm-not-allowed"),
    }
}

fn deliver(result: Result<(), DeliveryError>, name: &str) {
    if let Err(e) = result {
        tracing::warn!(command = name, error = %e, "response not delivered");
    }
}

/// Work of a handler, boxed so the routes can differ.
type Work<'a> = std::pin::Pin<Box<dyn Future<Output = HandlerResult> + Send + 'a>>;

/// The button's guard, the per-user limit, then the command with its
/// deferral.
async fn handle<R: Responder>(
    ctx: &Ctx<'_>,
    responder: &R,
    name: &str,
    pressed: Option<&ButtonId>,
) -> (&'static str, Option<String>) {
    let inv = ctx.inv;
    let dm_button = is_dm_button(inv, pressed);
    let button = pressed.map(|b| (b, button_route(b)));
    let keeps = button.as_ref().is_some_and(|(_, route)| route.keeps);
    // Components (and modals opened from them) update the message they are
    // on; DM buttons, and those whose message stays, answer with a new
    // private message instead.
    let updates = matches!(inv.kind, Kind::Component | Kind::Modal) && !dm_button && !keeps;
    // The immediate answer, for refusals before any work.
    let refuse_now = |text: String| async move {
        let r = Reply::text(text);
        let body = if updates {
            reply::update(&r)
        } else {
            reply::message(&r)
        };
        deliver(responder.callback(body).await, name);
    };
    if let Some(guard) = button.as_ref().and_then(|(_, route)| route.guard) {
        if let Err(refusal) = guard(ctx) {
            refuse_now(ctx.t(refusal, &[])).await;
            return ("refused", None);
        }
    }
    if !ctx.app.command_allowed(inv.user).await.unwrap_or_else(|e| {
        // The window is shared through the store; without it, serve rather
        // than refuse (the command itself will meet the same store).
        tracing::warn!(error = %e, "cannot count the command: the store is unavailable");
        true
    }) {
        metrics::counter!(crate::metric::RATE_LIMITED).increment(1);
        refuse_now(ctx.t("error-rate-limited", &[])).await;
        return ("refused", None);
    }
    let (defer, work): (bool, Work<'_>) = match (inv.kind, button) {
        // Registration's code form updates the message its button was on.
        (Kind::Modal, None) => (true, Box::pin(comake::submit_code(ctx))),
        (_, Some((b, route))) => (route.defer, Box::pin(press(ctx, responder, b))),
        (Kind::Command, None) => match route(&inv.command) {
            Some(route) => (route.defer, Box::pin(run(ctx, route.handler))),
            None => {
                refuse_now(ctx.t("error-unknown-command", &[])).await;
                return ("refused", None);
            }
        },
        (Kind::Component | Kind::Autocomplete, None) => {
            refuse_now(ctx.t("error-unknown-command", &[])).await;
            return ("refused", None);
        }
    };
    if defer {
        let ack = if updates {
            reply::deferred_update()
        } else {
            reply::deferred()
        };
        if let Err(e) = responder.callback(ack).await {
            // Without the acknowledgement the token cannot be used to edit.
            tracing::warn!(command = name, error = %e, "could not acknowledge the interaction");
            return ("error", None);
        }
    }
    let result = work.await.map_err(|f| ctx.told(f));
    let (reply, status, error_id) = match result {
        Ok(reply) => (reply, "ok", None),
        Err(Failure::User(text)) => (Reply::text(text), "refused", None),
        Err(Failure::Internal { id, message, cause }) => {
            tracing::error!(command = name, error_id = %id, error = %cause, "command failed");
            (Reply::text(message), "error", Some(id))
        }
        // `told` turned these into the two above.
        Err(Failure::Comake(_) | Failure::Store(_)) => {
            let id = super::error_id();
            tracing::error!(command = name, error_id = %id, "a failure was not told");
            (
                Reply::text(ctx.t("error-internal", &crate::args!["id" => id.clone()])),
                "error",
                Some(id),
            )
        }
    };
    let delivered = if defer {
        let edited = responder.edit_original(reply::edit(&reply)).await;
        if let Err(e) = &edited {
            // The person is left on "thinking…": tell them, with an id.
            let id = super::error_id();
            tracing::error!(command = name, error_id = %id, error = %e, "Discord refused the answer");
            ctx.undelivered();
            let note = Reply::text(ctx.t("error-not-delivered", &crate::args!["id" => id.clone()]));
            deliver(responder.followup(reply::followup(&note)).await, name);
            return ("error", Some(id));
        }
        edited
    } else if reply.modal.is_some() {
        responder.callback(reply::modal(&reply)).await
    } else if updates {
        responder.callback(reply::update(&reply)).await
    } else {
        responder.callback(reply::message(&reply)).await
    };
    deliver(delivered, name);
    (status, error_id)
}
