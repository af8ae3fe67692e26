//! `GET /api/openapi.json` (the OpenAPI document) and `GET /api/docs`, a readable reference rendered on the
//! server from that document.
//!
//! The page is ours rather than Scalar's or Swagger UI's because those load their JavaScript from a CDN,
//! which breaks offline and would need a Content-Security-Policy exception; this one is plain HTML.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use tower_sessions::Session;

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::ApiError;
use crate::pages::Layout;

/// The document and its readable form, prepared once when the router is built.
#[derive(Debug)]
struct Docs {
    json: Value,
    reference: Reference,
}

/// `/api/openapi.json` and `/api/docs` for `document`.
pub fn router(document: Arc<utoipa::openapi::OpenApi>) -> Router<AppState> {
    let docs = match serde_json::to_value(&*document) {
        Ok(json) => Some(Arc::new(Docs { reference: Reference::from_document(&json), json })),
        Err(error) => {
            tracing::error!(%error, "the OpenAPI document cannot be serialised");
            None
        }
    };
    let for_json = docs.clone();
    Router::new()
        .route(
            "/api/openapi.json",
            get(move || async move {
                match for_json {
                    Some(docs) => Json(docs.json.clone()).into_response(),
                    None => ApiError::internal().into_response(),
                }
            }),
        )
        .route(
            "/api/docs",
            get(move |session: Session, MaybeUser(user): MaybeUser, uri: Uri| async move {
                let Some(docs) = docs else {
                    return ApiError::internal().into_response();
                };
                let layout = Layout::new(&session, user.as_ref(), &uri).await;
                render(&DocsPage { layout, reference: &docs.reference })
            }),
        )
}

fn render(page: &DocsPage<'_>) -> Response {
    match page.render() {
        Ok(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(error) => {
            tracing::error!(%error, "the API reference page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "the API reference is unavailable").into_response()
        }
    }
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r##"{% extends "base.html" %}
{% block title %}API reference{% endblock %}
{% block content %}
<article class="api-docs">
  <h1>{{ reference.title }} <small>{{ reference.version }}</small></h1>
  {% for paragraph in reference.description %}<p>{{ paragraph }}</p>
  {% endfor %}
  <p>The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI {{ reference.openapi }}).</p>

  <nav aria-labelledby="api-contents">
    <h2 id="api-contents">Contents</h2>
    <ul>
    {% for section in reference.sections %}
      <li><a href="#tag-{{ section.name }}">{{ section.name }}</a>
        <ul>
        {% for operation in section.operations %}
          <li><a href="#{{ operation.anchor }}"><code>{{ operation.method }} {{ operation.path }}</code></a></li>
        {% endfor %}
        </ul>
      </li>
    {% endfor %}
      <li><a href="#schemas">Schemas</a></li>
    </ul>
  </nav>

  {% for section in reference.sections %}
  <section id="tag-{{ section.name }}">
    <h2>{{ section.name }}</h2>
    {% if !section.description.is_empty() %}<p>{{ section.description }}</p>{% endif %}
    {% for operation in section.operations %}
    <section id="{{ operation.anchor }}" class="api-operation">
      <h3><code>{{ operation.method }} {{ operation.path }}</code></h3>
      {% if !operation.summary.is_empty() %}<p>{{ operation.summary }}</p>{% endif %}
      {% for paragraph in operation.description %}<p>{{ paragraph }}</p>
      {% endfor %}
      {% if operation.authenticated %}<p><strong>Authentication:</strong> <code>Authorization: Bearer &lt;token&gt;</code> (or the browser session).</p>{% endif %}
      {% if !operation.parameters.is_empty() %}
      <table>
        <caption>Parameters</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
        <tbody>
        {% for parameter in operation.parameters %}
          <tr><td><code>{{ parameter.name }}</code></td><td>{{ parameter.location }}</td><td>{% call type_cell(parameter.type_doc) %}{% endcall %}</td><td>{% if parameter.required %}yes{% else %}no{% endif %}</td><td>{{ parameter.description }}</td></tr>
        {% endfor %}
        </tbody>
      </table>
      {% endif %}
      {% if let Some(body) = operation.request_body %}
      <p><strong>Request body</strong> ({{ body.content_type }}): {% call type_cell(body.type_doc) %}{% endcall %}</p>
      {% endif %}
      <table>
        <caption>Responses</caption>
        <thead><tr><th scope="col">Status</th><th scope="col">Description</th><th scope="col">Body</th></tr></thead>
        <tbody>
        {% for response in operation.responses %}
          <tr><td>{{ response.status }}</td><td>{{ response.description }}</td><td>{% if let Some(body) = response.body %}{{ body.content_type }}: {% call type_cell(body.type_doc) %}{% endcall %}{% endif %}</td></tr>
        {% endfor %}
        </tbody>
      </table>
    </section>
    {% endfor %}
  </section>
  {% endfor %}

  <section id="schemas">
    <h2>Schemas</h2>
    {% for schema in reference.schemas %}
    <section id="schema-{{ schema.name }}" class="api-schema">
      <h3>{{ schema.name }}</h3>
      {% if !schema.description.is_empty() %}<p>{{ schema.description }}</p>{% endif %}
      {% if schema.properties.is_empty() %}
      <p>{% call type_cell(schema.type_doc) %}{% endcall %}</p>
      {% else %}
      <table>
        <thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
        <tbody>
        {% for property in schema.properties %}
          <tr><td><code>{{ property.name }}</code></td><td>{% call type_cell(property.type_doc) %}{% endcall %}</td><td>{% if property.required %}yes{% else %}no{% endif %}</td><td>{{ property.description }}</td></tr>
        {% endfor %}
        </tbody>
      </table>
      {% endif %}
    </section>
    {% endfor %}
  </section>
</article>
{% endblock %}
{% macro type_cell(type_doc) %}{% if let Some(link) = type_doc.link %}<a href="#schema-{{ link }}"><code>{{ type_doc.text }}</code></a>{% else %}<code>{{ type_doc.text }}</code>{% endif %}{% endmacro %}
"##
)]
struct DocsPage<'a> {
    layout: Layout,
    reference: &'a Reference,
}

/// The readable form of an OpenAPI document.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub title: String,
    pub version: String,
    pub openapi: String,
    pub description: Vec<String>,
    pub sections: Vec<Section>,
    pub schemas: Vec<SchemaDoc>,
}

/// The operations of one tag.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub name: String,
    pub description: String,
    pub operations: Vec<OperationDoc>,
}

#[derive(Debug, Clone, Default)]
pub struct OperationDoc {
    pub anchor: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: Vec<String>,
    pub authenticated: bool,
    pub parameters: Vec<ParameterDoc>,
    pub request_body: Option<BodyDoc>,
    pub responses: Vec<ResponseDoc>,
}

#[derive(Debug, Clone, Default)]
pub struct ParameterDoc {
    pub name: String,
    pub location: String,
    pub type_doc: TypeDoc,
    pub required: bool,
    pub description: String,
}

#[derive(Debug, Clone, Default)]
pub struct BodyDoc {
    pub content_type: String,
    pub type_doc: TypeDoc,
}

#[derive(Debug, Clone, Default)]
pub struct ResponseDoc {
    pub status: String,
    pub description: String,
    pub body: Option<BodyDoc>,
}

#[derive(Debug, Clone, Default)]
pub struct SchemaDoc {
    pub name: String,
    pub description: String,
    pub type_doc: TypeDoc,
    pub properties: Vec<PropertyDoc>,
}

#[derive(Debug, Clone, Default)]
pub struct PropertyDoc {
    pub name: String,
    pub type_doc: TypeDoc,
    pub required: bool,
    pub description: String,
}

/// A type as people read it (`array of RequestView`, `string (date-time) or null`), with the schema it
/// refers to, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeDoc {
    pub text: String,
    pub link: Option<String>,
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

impl Reference {
    /// Reads the parts of an OpenAPI 3.x document (as JSON) that a reader needs.
    pub fn from_document(document: &Value) -> Self {
        let info = &document["info"];
        let mut sections: Vec<Section> = document["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|tag| Section { name: text(&tag["name"]), description: text(&tag["description"]), operations: vec![] })
            .collect();

        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for method in METHODS {
                let operation = &item[method];
                if !operation.is_object() {
                    continue;
                }
                let tag = operation["tags"].get(0).map(text).unwrap_or_else(|| "other".to_owned());
                let doc = OperationDoc::from_operation(method, path, operation, document);
                match sections.iter_mut().find(|section| section.name == tag) {
                    Some(section) => section.operations.push(doc),
                    None => sections.push(Section { name: tag, description: String::new(), operations: vec![doc] }),
                }
            }
        }
        sections.retain(|section| !section.operations.is_empty());

        let schemas = document["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, schema)| SchemaDoc::from_schema(name, schema))
            .collect();

        Reference {
            title: text(&info["title"]),
            version: text(&info["version"]),
            openapi: text(&document["openapi"]),
            description: paragraphs(&info["description"]),
            sections,
            schemas,
        }
    }
}

impl OperationDoc {
    fn from_operation(method: &str, path: &str, operation: &Value, document: &Value) -> Self {
        let anchor = format!(
            "op-{method}-{}",
            path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect::<String>()
        );
        let authenticated = operation["security"].as_array().is_some_and(|list| !list.is_empty())
            || document["security"].as_array().is_some_and(|list| !list.is_empty());
        let parameters = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|parameter| ParameterDoc {
                name: text(&parameter["name"]),
                location: text(&parameter["in"]),
                type_doc: describe_type(&parameter["schema"]),
                required: parameter["required"].as_bool().unwrap_or(false),
                description: text(&parameter["description"]),
            })
            .collect();
        let request_body = body_doc(&operation["requestBody"]["content"]);
        let responses = operation["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(status, response)| ResponseDoc {
                status: status.clone(),
                description: text(&response["description"]),
                body: body_doc(&response["content"]),
            })
            .collect();
        let mut description = paragraphs(&operation["description"]);
        let summary = text(&operation["summary"]);
        // utoipa puts a doc comment's first line in `summary` and repeats it in `description`.
        if description.first().is_some_and(|first| *first == summary) {
            description.remove(0);
        }
        OperationDoc {
            anchor,
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            summary,
            description,
            authenticated,
            parameters,
            request_body,
            responses,
        }
    }
}

impl SchemaDoc {
    fn from_schema(name: &str, schema: &Value) -> Self {
        let required: Vec<&str> =
            schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let properties = schema["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(field, property)| PropertyDoc {
                name: field.clone(),
                type_doc: describe_type(property),
                required: required.contains(&field.as_str()),
                description: text(&property["description"]),
            })
            .collect();
        SchemaDoc {
            name: name.to_owned(),
            description: text(&schema["description"]),
            type_doc: describe_type(schema),
            properties,
        }
    }
}

/// The first media type of a `content` map and the type of its schema.
fn body_doc(content: &Value) -> Option<BodyDoc> {
    let (content_type, media) = content.as_object()?.iter().next()?;
    Some(BodyDoc { content_type: content_type.clone(), type_doc: describe_type(&media["schema"]) })
}

/// A JSON Schema (as utoipa writes it) in words.
pub fn describe_type(schema: &Value) -> TypeDoc {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or(reference).to_owned();
        return TypeDoc { text: name.clone(), link: Some(name) };
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema[combinator].as_array() {
            let described: Vec<TypeDoc> = options.iter().map(describe_type).collect();
            let link = described.iter().find_map(|doc| doc.link.clone());
            let joiner = if combinator == "allOf" { " and " } else { " or " };
            let text = described.into_iter().map(|doc| doc.text).collect::<Vec<_>>().join(joiner);
            return TypeDoc { text, link };
        }
    }
    let types: Vec<String> = match &schema["type"] {
        Value::String(single) => vec![single.clone()],
        Value::Array(many) => many.iter().map(text).collect(),
        _ => vec![],
    };
    let mut link = None;
    let mut parts = Vec::new();
    for kind in &types {
        let part = match kind.as_str() {
            "array" => {
                let items = describe_type(&schema["items"]);
                link = items.link.clone();
                format!("array of {}", items.text)
            }
            "object" if schema["additionalProperties"].is_object() => {
                let values = describe_type(&schema["additionalProperties"]);
                link = values.link.clone();
                format!("map of string to {}", values.text)
            }
            other => match schema["format"].as_str() {
                Some(format) if other != "null" => format!("{other} ({format})"),
                _ => other.to_owned(),
            },
        };
        parts.push(part);
    }
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values.iter().map(|value| value.to_string()).collect();
        parts.push(format!("one of {}", values.join(", ")));
    }
    let text = if parts.is_empty() { "any".to_owned() } else { parts.join(" or ") };
    TypeDoc { text, link }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn paragraphs(value: &Value) -> Vec<String> {
    text(value).split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

/// Names the path of each operation, for tests and tools: `["GET /api/v1/hosts", ...]`.
pub fn operation_list(document: &Value) -> Vec<String> {
    let mut list: BTreeMap<String, ()> = BTreeMap::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if item[method].is_object() {
                list.insert(format!("{} {path}", method.to_ascii_uppercase()), ());
            }
        }
    }
    list.into_keys().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn types_read_like_sentences() {
        assert_eq!(describe_type(&json!({"$ref": "#/components/schemas/HostView"})).text, "HostView");
        let list = describe_type(&json!({"type": "array", "items": {"$ref": "#/components/schemas/SlotView"}}));
        assert_eq!(list, TypeDoc { text: "array of SlotView".into(), link: Some("SlotView".into()) });
        assert_eq!(
            describe_type(&json!({"type": ["string", "null"], "format": "date-time"})).text,
            "string (date-time) or null"
        );
        assert_eq!(
            describe_type(&json!({"type": "object", "additionalProperties": {"type": "string"}})).text,
            "map of string to string"
        );
        assert_eq!(describe_type(&json!({})).text, "any");
    }

    #[test]
    fn the_reference_groups_operations_by_tag() {
        let document = json!({
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1", "description": "One.\n\nTwo."},
            "tags": [{"name": "hosts", "description": "Hosts"}],
            "paths": {"/api/v1/hosts": {"get": {"tags": ["hosts"], "summary": "List", "responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"X": {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}}}
        });
        let reference = Reference::from_document(&document);
        assert_eq!(reference.description, vec!["One.", "Two."]);
        assert_eq!(reference.sections.len(), 1);
        assert_eq!(reference.sections[0].operations[0].method, "GET");
        assert!(reference.schemas[0].properties[0].required);
        assert_eq!(operation_list(&document), vec!["GET /api/v1/hosts"]);
    }
}
