//! The stand-in upload page under `/contract/upload`: a form that saves a new contract as the link's user.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use comake::wire::{ContractStatus, UPLOAD_PAGE};

use crate::auth::TokenKind;
use crate::state::{lock, Shared};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(
        &format!("/{}", UPLOAD_PAGE.join("/")),
        get(page).post(submit),
    )
}

#[derive(Deserialize)]
struct UploadParams {
    token: Option<String>,
    #[serde(rename = "contractId")]
    contract_id: Option<String>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What the real upload page does in a browser, reduced to a form: name the
/// contract and its parties, and save it as the token's user.
async fn page(State(s): State<Arc<Shared>>, Query(p): Query<UploadParams>) -> Response {
    let token = p.token.unwrap_or_default();
    let user = match s.check_token(&token, TokenKind::Client) {
        Ok(user) => user,
        Err(e) => {
            return (
                StatusCode::UNAUTHORIZED,
                Html(format!("<p>{}</p>", escape(&e.message))),
            )
                .into_response()
        }
    };
    let editing = p
        .contract_id
        .map(|id| format!("<p>Editing contract {}</p>", escape(&id)))
        .unwrap_or_default();
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>Comake simulator</title>\
         <h1>Comake simulator: upload a contract</h1><p>Signed in as {}</p>{editing}\
         <form method=post><input type=hidden name=token value=\"{}\">\
         <label>Name <input name=name required></label>\
         <label>Parties (comma-separated) <input name=parties value=\"갑, 을\"></label>\
         <button>Save</button></form>",
        escape(&user),
        escape(&token),
    ))
    .into_response()
}

#[derive(Deserialize)]
struct UploadForm {
    token: String,
    name: String,
    parties: String,
}

async fn submit(State(s): State<Arc<Shared>>, Form(f): Form<UploadForm>) -> Response {
    let user = match s.check_token(&f.token, TokenKind::Client) {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    let parties: Vec<&str> = f
        .parties
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match lock(&s.company).create_contract(&user, f.name.trim(), &parties, ContractStatus::Saved) {
        Ok(id) => Html(format!(
            "<p>Saved contract {id}. You can close this page.</p>"
        ))
        .into_response(),
        Err(e) => e.into_response(),
    }
}
