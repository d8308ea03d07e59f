//! The command definitions in `commands/`: valid for Discord's spec and limits, and exactly what the handlers serve.

use crate::common;

use std::collections::BTreeSet;

use comake_bot::api::discord::{command_definitions, COMMAND_FILES};
use comake_bot::api::handlers::ROUTES;
use common::discord::{assert_valid, validator};
use serde_json::{json, Value};

#[test]
fn every_definition_validates_against_discords_spec() {
    let create = validator(json!({"$ref": "#/components/schemas/ApplicationCommandCreateRequest"}));
    let bulk = validator(common::discord::request_schema(
        "/applications/{application_id}/commands",
        "put",
    ));
    let defs = command_definitions().unwrap();
    for def in &defs {
        assert_valid(&create, def, def["name"].as_str().unwrap());
    }
    assert_valid(&bulk, &Value::Array(defs.clone()), "the bulk overwrite");
    // A broken definition is caught: the validator can fail.
    let mut broken = defs[0].clone();
    broken["name"] = json!("x".repeat(40));
    assert!(!create.is_valid(&broken));
}

fn check_limits(v: &Value, depth: usize, path: &str) {
    let name = v["name"].as_str().unwrap();
    let name_re = |n: &str| {
        !n.is_empty()
            && n.chars().count() <= 32
            && n.chars()
                .all(|c| c == '-' || c == '_' || c.is_alphanumeric())
            && n.chars().all(|c| !c.is_uppercase())
    };
    assert!(name_re(name), "{path}: name {name:?}");
    let desc = v["description"].as_str().unwrap();
    assert!(
        (1..=100).contains(&desc.chars().count()),
        "{path}: description"
    );
    let ko_name = v["name_localizations"]["ko"]
        .as_str()
        .unwrap_or_else(|| panic!("{path}: no ko name"));
    assert!(name_re(ko_name), "{path}: ko name {ko_name:?}");
    let ko_desc = v["description_localizations"]["ko"]
        .as_str()
        .unwrap_or_else(|| panic!("{path}: no ko description"));
    assert!(
        (1..=100).contains(&ko_desc.chars().count()),
        "{path}: ko description"
    );
    if let Some(options) = v["options"].as_array() {
        assert!(options.len() <= 25, "{path}: more than 25 options");
        // Required options come first.
        let first_optional = options
            .iter()
            .position(|o| o["required"] != json!(true))
            .unwrap_or(options.len());
        assert!(
            options[first_optional..]
                .iter()
                .all(|o| o["required"] != json!(true)),
            "{path}: required after optional"
        );
        for o in options {
            check_limits(
                o,
                depth + 1,
                &format!("{path} {}", o["name"].as_str().unwrap()),
            );
        }
    }
    if let Some(choices) = v["choices"].as_array() {
        assert!(choices.len() <= 25, "{path}: more than 25 choices");
        for c in choices {
            assert!(
                c["name_localizations"]["ko"].is_string(),
                "{path}: choice without ko"
            );
        }
    }
    assert!(depth <= 2, "{path}: nested too deep");
}

fn counted_size(v: &Value) -> usize {
    let mut total = 0;
    for field in ["name", "description"] {
        if let Some(default) = v[field].as_str() {
            let longest = v[format!("{field}_localizations")]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
                .filter_map(Value::as_str)
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0);
            total += longest.max(default.chars().count());
        }
    }
    if let Some(value) = v["value"].as_str() {
        total += value.chars().count();
    }
    for key in ["options", "choices"] {
        total += v[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(counted_size)
            .sum::<usize>();
    }
    total
}

#[test]
fn definitions_respect_discords_limits_and_are_localized() {
    let defs = command_definitions().unwrap();
    for def in &defs {
        check_limits(def, 0, def["name"].as_str().unwrap());
        // Discord counts each name, description and value once, at its longest localization.
        let total = counted_size(def);
        assert!(
            total <= 4000,
            "{}: {total} characters, over Discord's command size",
            def["name"]
        );
    }
    let admin = defs.iter().find(|d| d["name"] == "comake-admin").unwrap();
    assert_eq!(admin["default_member_permissions"], json!(32));
    assert_eq!(admin["contexts"], json!([0]), "comake-admin is guild-only");
    for (file, text) in COMMAND_FILES {
        let v: Value = serde_json::from_str(text).unwrap();
        assert_eq!(v["name"], file, "commands/{file}.json holds /{file}");
    }
}

#[test]
fn the_json_and_the_handler_registry_agree() {
    let mut from_json = BTreeSet::new();
    for def in command_definitions().unwrap() {
        let group = def["name"].as_str().unwrap().to_owned();
        for sub in def["options"].as_array().unwrap() {
            assert_eq!(sub["type"], 1, "{group}: only subcommands at the top");
            let options: BTreeSet<String> = sub["options"]
                .as_array()
                .map(|o| {
                    o.iter()
                        .map(|o| o["name"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            from_json.insert((
                format!("{group} {}", sub["name"].as_str().unwrap()),
                options,
            ));
        }
    }
    let from_routes: BTreeSet<(String, BTreeSet<String>)> = ROUTES
        .iter()
        .map(|r| {
            (
                r.command.to_owned(),
                r.options.iter().map(|o| (*o).to_owned()).collect(),
            )
        })
        .collect();
    assert_eq!(from_json, from_routes);
}
