//! Discord's OpenAPI spec (the project's copy under tests/discord-api-spec) as validators for every body the bot sends.

use serde_json::{json, Value};

/// The spec, built into the binary so the page works offline.
const SPEC: &str = include_str!("../../../tests/discord-api-spec/openapi.json");

/// Which request a body was sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    Callback,
    EditOriginal,
    Followup,
    PostMessage,
    EditMessage,
}

impl Route {
    const ALL: [Route; 5] = [
        Route::Callback,
        Route::EditOriginal,
        Route::Followup,
        Route::PostMessage,
        Route::EditMessage,
    ];

    fn operation(self) -> (&'static str, &'static str) {
        match self {
            Route::Callback => (
                "/interactions/{interaction_id}/{interaction_token}/callback",
                "post",
            ),
            Route::EditOriginal => (
                "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
                "patch",
            ),
            Route::Followup => ("/webhooks/{webhook_id}/{webhook_token}", "post"),
            Route::PostMessage => ("/channels/{channel_id}/messages", "post"),
            Route::EditMessage => ("/channels/{channel_id}/messages/{message_id}", "patch"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Route::Callback => "interaction callback",
            Route::EditOriginal => "edit of the original response",
            Route::Followup => "follow-up message",
            Route::PostMessage => "channel message",
            Route::EditMessage => "edit of a channel message",
        }
    }
}

/// A compiled validator per route.
pub(crate) struct Spec {
    validators: Vec<(Route, jsonschema::Validator)>,
}

impl Spec {
    /// Compile the request schemas (a second or two: run it off the async threads).
    pub(crate) fn load() -> Result<Self, String> {
        let spec: Value =
            serde_json::from_str(SPEC).map_err(|e| format!("the spec is not JSON: {e}"))?;
        let mut validators = Vec::new();
        for route in Route::ALL {
            let (path, method) = route.operation();
            let mut schema = spec["paths"][path][method]["requestBody"]["content"]
                ["application/json"]["schema"]
                .clone();
            if schema.is_null() {
                return Err(format!("the spec has no body for {method} {path}"));
            }
            schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
            schema["components"] = spec["components"].clone();
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(&schema)
                .map_err(|e| {
                    format!("the spec's schema for {method} {path} does not compile: {e}")
                })?;
            validators.push((route, validator));
        }
        Ok(Self { validators })
    }

    /// What is wrong with `body` as a `route` request, in words (empty: nothing).
    pub(crate) fn check(&self, route: Route, body: &Value) -> Vec<String> {
        let Some((_, v)) = self.validators.iter().find(|(r, _)| *r == route) else {
            return Vec::new();
        };
        v.iter_errors(body)
            .take(5)
            .map(|e| {
                format!(
                    "{} does not match Discord's spec: {} at {}",
                    route.name(),
                    e,
                    e.instance_path()
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_reply_passes_and_a_bad_button_style_is_reported() {
        let spec = Spec::load().expect("the spec compiles");
        let good = json!({"type": 4, "data": {"content": "hi", "flags": 64}});
        assert!(spec.check(Route::Callback, &good).is_empty());
        let bad = json!({"type": 4, "data": {"content": "hi", "components": [
            {"type": 1, "components": [{"type": 2, "style": 42, "label": "x", "custom_id": "x"}]}
        ]}});
        let errors = spec.check(Route::Callback, &bad);
        assert!(!errors.is_empty());
        assert!(errors[0].contains("interaction callback"), "{errors:?}");
    }
}
