//! The Discord REST routes the bot calls (with a request log) and a gateway websocket that sends READY and whatever is pushed.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post, put};
use axum::{Json, Router};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// The application id the stand-in answers for.
pub const APP_ID: &str = "424242424242424242";

/// The id of the first message the stand-in creates; each next one counts up.
pub const FIRST_MESSAGE_ID: u64 = 800_000_000_000_000_001;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// One REST request the stand-in received.
#[derive(Debug, Clone)]
pub struct RestCall {
    pub method: String,
    pub path: String,
    pub body: Value,
    /// The id of the message the call created, if it created one.
    pub created: Option<u64>,
    /// When the request's body had arrived.
    pub at: Instant,
}

#[derive(Clone)]
struct Shared {
    calls: Arc<Mutex<Vec<RestCall>>>,
    ws_url: Arc<Mutex<String>>,
    /// DM channel creation fails with this Discord error code when set.
    dm_error: Arc<Mutex<Option<u64>>>,
    /// What `GET /applications/@me` says of Public Bot.
    bot_public: Arc<Mutex<bool>>,
    /// Gateway connections opened, counted as they arrive (even while
    /// another is being served).
    gateway_connections: Arc<AtomicUsize>,
    /// Channel messages answer edits with 404 Unknown Message when set.
    messages_gone: Arc<Mutex<bool>>,
    /// The id the next created message gets.
    next_message: Arc<AtomicU64>,
    /// Users who left every server: the member lookup answers 404 Unknown
    /// Member for them (everyone else is a member).
    removed: Arc<Mutex<std::collections::HashSet<u64>>>,
    /// Members' (username, display name), when set; others are `user{id}`.
    members: Arc<Mutex<std::collections::HashMap<u64, (String, String)>>>,
    /// The name `GET /guilds/{id}` gives every server, when set.
    guild_name: Arc<Mutex<Option<String>>>,
}

impl Default for Shared {
    fn default() -> Self {
        Self {
            calls: Arc::default(),
            ws_url: Arc::default(),
            dm_error: Arc::default(),
            bot_public: Arc::default(),
            gateway_connections: Arc::default(),
            messages_gone: Arc::default(),
            next_message: Arc::new(AtomicU64::new(FIRST_MESSAGE_ID)),
            removed: Arc::default(),
            guild_name: Arc::default(),
            members: Arc::default(),
        }
    }
}

impl Shared {
    /// Record a call that creates a message in `channel`; returns the
    /// message, with a fresh id.
    fn created(&self, method: Method, uri: &Uri, channel: &str, body: &[u8]) -> Value {
        let id = self.next_message.fetch_add(1, Ordering::SeqCst);
        record_created(self, method, uri, body, Some(id));
        let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let mut message = message_json(&body);
        message["id"] = json!(id.to_string());
        message["channel_id"] = json!(channel);
        message
    }
}

/// The running stand-in; dropping it stops its servers.
pub struct FakeDiscord {
    pub rest_addr: SocketAddr,
    shared: Shared,
    push: mpsc::UnboundedSender<(String, Value)>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// A message object as Discord returns it, with `body`'s content.
pub fn message_json(content: &Value) -> Value {
    json!({
        "id": "800000000000000001",
        "channel_id": "700000000000000001",
        "author": {"id": APP_ID, "username": "comake-bot", "discriminator": "0", "global_name": null, "avatar": null, "bot": true},
        "content": content.get("content").cloned().unwrap_or(json!("")),
        "timestamp": "2024-01-01T00:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
        "components": [],
    })
}

/// `GET /applications/@me`.
async fn application(State(s): State<Shared>, m: Method, u: Uri) -> Json<Value> {
    record(&s, m, &u, b"").await;
    let public = *lock(&s.bot_public);
    Json(
        json!({"id": APP_ID, "name": "comake-bot", "icon": null, "description": "", "bot_public": public, "bot_require_code_grant": false, "verify_key": "00", "flags": 0, "team": null}),
    )
}

/// A guild as GUILD_CREATE carries it.
pub fn guild_json(id: u64) -> Value {
    let mut guild = json!(
        {
        "name": "A server", "icon": null, "icon_hash": null,
        "splash": null, "discovery_splash": null, "owner_id": "100000000000000001",
        "afk_channel_id": null, "afk_timeout": 300, "widget_enabled": false,
        "widget_channel_id": null, "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0, "roles": [],
        "emojis": [], "features": [], "mfa_level": 0, "application_id": null,
        "system_channel_id": null, "system_channel_flags": 0, "rules_channel_id": null,
        "max_presences": null, "max_members": 500000, "vanity_url_code": null,
        "description": null, "banner": null, "premium_tier": 0,
        "premium_subscription_count": 0, "preferred_locale": "en-US",
        "public_updates_channel_id": null, "max_video_channel_users": 25,
        "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": false,
        "joined_at": "2024-01-01T00:00:00.000000+00:00", "large": false,
        "unavailable": false, "member_count": 2, "voice_states": [], "members": [],
        "channels": [], "threads": [], "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "safety_alerts_channel_id": null
    });
    guild["id"] = json!(id.to_string());
    guild
}

async fn record(s: &Shared, method: Method, uri: &Uri, body: &[u8]) {
    record_created(s, method, uri, body, None);
}

fn record_created(s: &Shared, method: Method, uri: &Uri, body: &[u8], created: Option<u64>) {
    let body = serde_json::from_slice(body).unwrap_or(Value::Null);
    lock(&s.calls).push(RestCall {
        method: method.to_string(),
        path: uri.path().to_owned(),
        body,
        created,
        at: Instant::now(),
    });
}

impl FakeDiscord {
    /// Start on free ports of 127.0.0.1, for a test (it panics when it cannot bind).
    pub async fn start() -> Self {
        match Self::try_start().await {
            Ok(fake) => fake,
            Err(e) => panic!("the Discord stand-in cannot listen on 127.0.0.1: {e}"),
        }
    }

    /// Start on free ports of 127.0.0.1.
    pub async fn try_start() -> std::io::Result<Self> {
        let shared = Shared::default();
        let (push, mut pushed) = mpsc::unbounded_channel::<(String, Value)>();

        // The gateway: one connection at a time.
        let ws = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let ws_addr = ws.local_addr()?;
        *lock(&shared.ws_url) = format!("ws://{ws_addr}");
        let (streams_tx, mut streams) = mpsc::unbounded_channel();
        let connections = shared.gateway_connections.clone();
        let acceptor = tokio::spawn(async move {
            while let Ok((stream, _)) = ws.accept().await {
                connections.fetch_add(1, Ordering::SeqCst);
                if streams_tx.send(stream).is_err() {
                    break;
                }
            }
        });
        let gateway = tokio::spawn(async move {
            while let Some(stream) = streams.recv().await {
                let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else {
                    continue;
                };
                let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}});
                if socket.send(Message::Text(hello.to_string())).await.is_err() {
                    continue;
                }
                let mut seq = 0u64;
                loop {
                    tokio::select! {
                        frame = socket.next() => {
                            let Some(Ok(Message::Text(text))) = frame else { break };
                            let Ok(v) = serde_json::from_str::<Value>(&text) else { continue };
                            match v["op"].as_u64() {
                                Some(1) => {
                                    let _ = socket.send(Message::Text(json!({"op": 11}).to_string())).await;
                                }
                                Some(2) => {
                                    seq += 1;
                                    let ready = json!({"op": 0, "t": "READY", "s": seq, "d": {
                                        "v": 10,
                                        "user": {"id": APP_ID, "username": "comake-bot", "discriminator": "0", "global_name": null, "avatar": null, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0},
                                        "guilds": [],
                                        "session_id": "fake-session",
                                        "resume_gateway_url": format!("ws://{ws_addr}"),
                                        "shard": [0, 1],
                                        "application": {"id": APP_ID, "flags": 0},
                                    }});
                                    let _ = socket.send(Message::Text(ready.to_string())).await;
                                }
                                _ => {}
                            }
                        }
                        Some((name, event)) = pushed.recv() => {
                            // An empty name sends `event` (a string) as the raw frame.
                            if name.is_empty() {
                                let raw = event.as_str().unwrap_or_default().to_owned();
                                let _ = socket.send(Message::Text(raw)).await;
                                continue;
                            }
                            seq += 1;
                            let dispatch = json!({"op": 0, "t": name, "s": seq, "d": event});
                            let _ = socket.send(Message::Text(dispatch.to_string())).await;
                        }
                    }
                }
            }
        });

        let app = Router::new()
            .route(
                "/api/v10/gateway",
                get(|State(s): State<Shared>| async move {
                    let url = lock(&s.ws_url).clone();
                    Json(json!({"url": url}))
                }),
            )
            .route(
                "/api/v10/applications/{app}/commands",
                put(|State(s): State<Shared>, m: Method, u: Uri, b: axum::body::Bytes| async move {
                    record(&s, m, &u, &b).await;
                    Json(json!([]))
                }),
            )
            .route(
                "/api/v10/applications/{app}/guilds/{guild}/commands",
                put(|State(s): State<Shared>, m: Method, u: Uri, b: axum::body::Bytes| async move {
                    record(&s, m, &u, &b).await;
                    Json(json!([]))
                }),
            )
            .route(
                "/api/v10/interactions/{id}/{token}/callback",
                post(|State(s): State<Shared>, m: Method, u: Uri, b: axum::body::Bytes| async move {
                    record(&s, m, &u, &b).await;
                    StatusCode::NO_CONTENT
                }),
            )
            .route(
                "/api/v10/webhooks/{app}/{token}",
                post(|State(s): State<Shared>, m: Method, u: Uri, b: axum::body::Bytes| async move {
                    Json(s.created(m, &u, "700000000000000001", &b))
                }),
            )
            .route(
                "/api/v10/webhooks/{app}/{token}/messages/@original",
                patch(|State(s): State<Shared>, m: Method, u: Uri, b: axum::body::Bytes| async move {
                    record(&s, m, &u, &b).await;
                    let body: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
                    Json(message_json(&body))
                }),
            )
            .route(
                "/api/v10/guilds/{guild}/members/{user}",
                get(|State(s): State<Shared>, m: Method, u: Uri, Path((_g, user)): Path<(String, u64)>| async move {
                    record(&s, m, &u, b"").await;
                    if lock(&s.removed).contains(&user) {
                        return (StatusCode::NOT_FOUND, Json(json!({"code": 10007, "message": "Unknown Member"}))).into_response();
                    }
                    let (username, global_name) = lock(&s.members)
                        .get(&user)
                        .cloned()
                        .unwrap_or_else(|| (format!("user{user}"), format!("Member {user}")));
                    Json(json!({
                        "user": {"id": user.to_string(), "username": username, "discriminator": "0", "global_name": global_name, "avatar": null},
                        "nick": null, "avatar": null, "roles": [],
                        "joined_at": "2024-01-01T00:00:00.000000+00:00", "premium_since": null,
                        "deaf": false, "mute": false, "flags": 0, "pending": false,
                        "communication_disabled_until": null,
                    })).into_response()
                }),
            )
            .route(
                "/api/v10/guilds/{guild}",
                get(|State(s): State<Shared>, m: Method, u: Uri, Path(guild): Path<u64>| async move {
                    record(&s, m, &u, b"").await;
                    let mut guild = guild_json(guild);
                    if let Some(name) = lock(&s.guild_name).clone() {
                        guild["name"] = json!(name);
                    }
                    Json(guild)
                }),
            )
            .route("/api/v10/applications/@me", get(application))
            .route("/api/v10/oauth2/applications/@me", get(application))
            .route(
                "/api/v10/users/@me/guilds/{guild}",
                delete(|State(s): State<Shared>, m: Method, u: Uri| async move {
                    record(&s, m, &u, b"").await;
                    StatusCode::NO_CONTENT
                }),
            )
            .route(
                "/api/v10/users/@me/channels",
                post(|State(s): State<Shared>, m: Method, u: Uri, b: axum::body::Bytes| async move {
                    record(&s, m, &u, &b).await;
                    if let Some(code) = *lock(&s.dm_error) {
                        return (StatusCode::FORBIDDEN, Json(json!({"code": code, "message": "Cannot send messages to this user"}))).into_response();
                    }
                    let body: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
                    let recipient = body["recipient_id"].as_str().unwrap_or("1").to_owned();
                    Json(json!({"id": format!("9{}", &recipient[1..]), "type": 1, "last_message_id": null, "recipients": [{"id": recipient, "username": "someone", "discriminator": "0", "global_name": null, "avatar": null}]})).into_response()
                }),
            )
            .route(
                "/api/v10/channels/{channel}/messages",
                post(|State(s): State<Shared>, m: Method, u: Uri, Path(c): Path<String>, b: axum::body::Bytes| async move {
                    Json(s.created(m, &u, &c, &b))
                }),
            )
            .route(
                "/api/v10/channels/{channel}/messages/{message}",
                axum::routing::patch(|State(s): State<Shared>, m: Method, u: Uri, b: axum::body::Bytes| async move {
                    record(&s, m, &u, &b).await;
                    if *lock(&s.messages_gone) {
                        return (StatusCode::NOT_FOUND, Json(json!({"code": 10008, "message": "Unknown Message"}))).into_response();
                    }
                    let body: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
                    Json(message_json(&body)).into_response()
                }),
            )
            .fallback(|State(s): State<Shared>, m: Method, u: Uri, b: axum::body::Bytes| async move {
                record(&s, m, &u, &b).await;
                (StatusCode::NOT_FOUND, Json(json!({"code": 0, "message": "the fake Discord has no such route"})))
            })
            .with_state(shared.clone());
        let rest = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let rest_addr = rest.local_addr()?;
        let server = tokio::spawn(async move {
            let _ = axum::serve(rest, app).await;
        });
        Ok(Self {
            rest_addr,
            shared,
            push,
            tasks: vec![acceptor, gateway, server],
        })
    }

    /// The base URL for `DISCORD_HTTP_PROXY`.
    pub fn proxy_url(&self) -> String {
        format!("http://{}", self.rest_addr)
    }

    /// Send an INTERACTION_CREATE over the gateway.
    pub fn push_interaction(&self, payload: Value) {
        self.push_event("INTERACTION_CREATE", payload);
    }

    /// Send any dispatch event over the gateway.
    pub fn push_event(&self, name: &str, payload: Value) {
        let _ = self.push.send((name.to_owned(), payload));
    }

    /// Send a raw text frame over the gateway.
    pub fn push_raw(&self, frame: &str) {
        let _ = self.push.send((String::new(), json!(frame)));
    }

    /// What `GET /applications/@me` says of Public Bot.
    pub fn set_bot_public(&self, public: bool) {
        *lock(&self.shared.bot_public) = public;
    }

    /// The name every server has from now on (the bot names it in link notices).
    pub fn set_guild_name(&self, name: &str) {
        *lock(&self.shared.guild_name) = Some(name.to_owned());
    }

    /// The names member lookups give `user` from now on.
    pub fn set_member(&self, user: u64, username: &str, display_name: &str) {
        lock(&self.shared.members).insert(user, (username.to_owned(), display_name.to_owned()));
    }

    /// `user` leaves every server: member lookups answer 404 from now on.
    pub fn remove_member(&self, user: u64) {
        lock(&self.shared.removed).insert(user);
    }

    /// Make edits of channel messages fail as for a deleted message.
    pub fn set_messages_gone(&self, gone: bool) {
        *lock(&self.shared.messages_gone) = gone;
    }

    /// How many gateway connections were opened so far.
    pub fn gateway_connections(&self) -> usize {
        self.shared.gateway_connections.load(Ordering::SeqCst)
    }

    /// Every REST call so far, in order of arrival.
    pub fn calls(&self) -> Vec<RestCall> {
        lock(&self.shared.calls).clone()
    }

    /// The REST calls after the first `n`.
    pub fn calls_since(&self, n: usize) -> Vec<RestCall> {
        lock(&self.shared.calls).iter().skip(n).cloned().collect()
    }

    /// Make DM channel creation fail with this Discord error code (`None`: succeed).
    pub fn fail_dms_with(&self, code: Option<u64>) {
        *lock(&self.shared.dm_error) = code;
    }

    /// The bodies of the edits of original responses, after waiting (at
    /// most 10 s) until there are at least `n`.
    pub async fn edits(&self, n: usize) -> Vec<Value> {
        self.wait_for(Duration::from_secs(10), |c| {
            c.iter().filter(|c| c.method == "PATCH").count() >= n
        })
        .await
        .into_iter()
        .filter(|c| c.method == "PATCH")
        .map(|c| c.body)
        .collect()
    }

    /// Wait until `pred` holds for the call log, at most `limit`.
    pub async fn wait_for(
        &self,
        limit: Duration,
        pred: impl Fn(&[RestCall]) -> bool,
    ) -> Vec<RestCall> {
        let deadline = Instant::now() + limit;
        loop {
            let calls = self.calls();
            if pred(&calls) || Instant::now() >= deadline {
                return calls;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn created_messages_get_fresh_ids_that_the_log_names() {
        let fake = FakeDiscord::try_start().await.expect("listens");
        let http = reqwest::Client::new();
        let mut ids = Vec::new();
        for text in ["one", "two"] {
            let message: Value = http
                .post(format!("{}/api/v10/channels/7/messages", fake.proxy_url()))
                .json(&json!({"content": text}))
                .send()
                .await
                .expect("answered")
                .json()
                .await
                .expect("a message");
            assert_eq!(message["content"], text);
            assert_eq!(message["channel_id"], "7");
            ids.push(
                message["id"]
                    .as_str()
                    .expect("an id")
                    .parse::<u64>()
                    .expect("a number"),
            );
        }
        assert_eq!(ids, [FIRST_MESSAGE_ID, FIRST_MESSAGE_ID + 1]);
        let logged: Vec<Option<u64>> = fake.calls().iter().map(|c| c.created).collect();
        assert_eq!(logged, [Some(ids[0]), Some(ids[1])]);
        assert_eq!(fake.calls_since(1).len(), 1);
    }

    #[tokio::test]
    async fn servers_carry_the_name_they_were_given() {
        let fake = FakeDiscord::try_start().await.expect("listens");
        let url = format!("{}/api/v10/guilds/9", fake.proxy_url());
        let get = || async {
            let guild: Value = reqwest::get(&url)
                .await
                .expect("answered")
                .json()
                .await
                .expect("a guild");
            guild["name"].clone()
        };
        assert_eq!(get().await, "A server");
        fake.set_guild_name("Acme Corp");
        assert_eq!(get().await, "Acme Corp");
    }

    #[tokio::test]
    async fn members_carry_the_names_they_were_given() {
        let fake = FakeDiscord::try_start().await.expect("listens");
        fake.set_member(5, "minji", "김민지");
        let member = |id: u64| {
            let url = format!("{}/api/v10/guilds/9/members/{id}", fake.proxy_url());
            async move {
                let m: Value = reqwest::get(url)
                    .await
                    .expect("answered")
                    .json()
                    .await
                    .expect("a member");
                (
                    m["user"]["username"].clone(),
                    m["user"]["global_name"].clone(),
                )
            }
        };
        assert_eq!(member(5).await, (json!("minji"), json!("김민지")));
        assert_eq!(member(6).await, (json!("user6"), json!("Member 6")));
    }
}
