//! Driving the pages as a browser without JavaScript would: same-origin GETs and url-encoded form POSTs,
//! carrying the session cookie.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use super::{PASSWORD, Reply, TestApp};

/// A browser on the application: logged in when it holds a session cookie.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
}

impl<'a> Browser<'a> {
    /// A visitor with no session yet.
    pub fn anonymous(app: &'a TestApp) -> Self {
        Browser { app, cookie: None }
    }

    /// Logs in through the login form, as a person would, and reads the welcome flash away so that the
    /// pages under test show only their own.
    pub async fn log_in(app: &'a TestApp, email: &str) -> Self {
        let mut browser = Browser::anonymous(app);
        let reply =
            browser.post("/login", &[("email", email), ("password", PASSWORD)]).await.expect(StatusCode::SEE_OTHER);
        browser.cookie = Some(session_cookie(&reply));
        browser.get("/dashboard").await.expect(StatusCode::OK);
        browser
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, false).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        self.send(Method::POST, path, Some(form), false).await
    }

    /// A POST as htmx sends it (`HX-Request: true`), expecting a fragment back.
    pub async fn htmx_post(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        self.send(Method::POST, path, Some(form), true).await
    }

    async fn send(&self, method: Method, path: &str, form: Option<&[(&str, &str)]>, htmx: bool) -> Reply {
        let mut builder = Request::builder().method(method).uri(path).header("sec-fetch-site", "same-origin");
        if let Some(cookie) = &self.cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        if htmx {
            builder = builder.header("hx-request", "true");
        }
        let request = match form {
            Some(pairs) => builder
                .header(header::ORIGIN, "http://127.0.0.1:8080")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form_body(pairs))),
            None => builder.body(Body::empty()),
        };
        self.app.send(request.expect("a well-formed request")).await
    }
}

/// Percent-encodes a form value (everything but unreserved characters).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

pub fn form_body(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(name, value)| format!("{}={}", encode(name), encode(value))).collect::<Vec<_>>().join("&")
}

/// The `name=value` of the session cookie a response sets.
pub fn session_cookie(reply: &Reply) -> String {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("coffeechat_session="))
        .and_then(|value| value.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie in {:?}", reply.headers))
        .to_owned()
}

/// Text as askama writes it into HTML.
pub fn html(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// Page text with the entities askama writes for quotes and ampersands turned back into characters.
pub fn unescape(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}
