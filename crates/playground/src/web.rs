//! The page and its JSON routes: the state for one person, and what they do (commands, buttons, modals, acting as the other side).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::chat::Chat;
use crate::interact;
use crate::world::{World, PEOPLE};

const INDEX: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const STYLE: &str = include_str!("../assets/style.css");
const COMMANDS: [&str; 3] = [
    include_str!("../../../commands/comake.json"),
    include_str!("../../../commands/contract.json"),
    include_str!("../../../commands/comake-admin.json"),
];

pub(crate) struct Shared {
    pub(crate) world: World,
    pub(crate) chat: Chat,
}

type S = State<Arc<Shared>>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(|| async { Html(INDEX) }))
        .route(
            "/app.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    APP_JS,
                )
            }),
        )
        .route(
            "/style.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE) }),
        )
        .route("/api/boot", get(boot))
        .route("/api/state", get(state))
        .route("/api/contracts", get(contracts))
        .route("/api/command", post(command))
        .route("/api/component", post(component))
        .route("/api/modal", post(modal))
        .route("/api/act", post(act))
        .with_state(shared)
}

async fn boot(State(s): S) -> Json<Value> {
    let commands: Vec<Value> = COMMANDS
        .iter()
        .filter_map(|c| serde_json::from_str(c).ok())
        .collect();
    Json(json!({
        "people": PEOPLE,
        "commands": commands,
        "outside": {"name": crate::world::OUTSIDE.0, "email": crate::world::OUTSIDE.1},
        "comake_web": s.world.sim.web_url().to_string(),
    }))
}

#[derive(Deserialize)]
struct Who {
    #[serde(deserialize_with = "crate::ids::de")]
    person: u64,
}

async fn state(State(s): S, Query(who): Query<Who>) -> Json<Value> {
    let view = s.chat.view(who.person);
    let running = s.world.bot.running();
    Json(json!({
        "bot": {"running": running, "log": if running { String::new() } else { s.world.bot.log() }},
        "version": view.version,
        "channel": view.channel,
        "dms": view.dms,
        "warnings": view.warnings,
        "mails": s.world.mail.mails(),
    }))
}

async fn contracts(State(s): S) -> Json<Value> {
    Json(json!(s.world.contracts().await))
}

fn answer(result: Result<Value, String>) -> Response {
    match result {
        Ok(v) => Json(json!({"ok": true, "result": v})).into_response(),
        Err(e) => Json(json!({"ok": false, "error": e})).into_response(),
    }
}

async fn command(State(s): S, Json(req): Json<interact::CommandRequest>) -> Response {
    answer(interact::command(&s.world, &s.chat, req, false).await)
}

async fn component(State(s): S, Json(req): Json<interact::ComponentRequest>) -> Response {
    answer(interact::component(&s.world, &s.chat, req).await)
}

async fn modal(State(s): S, Json(req): Json<interact::ModalRequest>) -> Response {
    answer(interact::modal(&s.world, &s.chat, req).await)
}

#[derive(Deserialize)]
struct Act {
    contract: String,
    action: String,
    reason: Option<String>,
}

async fn act(State(s): S, Json(req): Json<Act>) -> Response {
    answer(
        s.world
            .act(&req.contract, &req.action, req.reason.as_deref())
            .map(Value::String),
    )
}
