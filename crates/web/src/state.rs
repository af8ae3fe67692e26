//! What every request handler shares: the application services and the web configuration.

use std::sync::Arc;

use coffeechat_service::Services;

/// Shared state of the web application (cheap to clone: two `Arc`s).
#[derive(Clone, Debug)]
pub struct AppState {
    pub services: Services,
    pub config: Arc<WebConfig>,
}

impl AppState {
    pub fn new(services: Services, config: WebConfig) -> Self {
        Self { services, config: Arc::new(config) }
    }
}

/// How the web layer is deployed.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark the session cookie `Secure` (set when the site is served over https).
    pub secure_cookies: bool,
    /// The address users reach the site at, e.g. `http://127.0.0.1:8080`, without a trailing slash;
    /// used for absolute links (in .ics files, for instance).
    pub public_url: String,
}

impl WebConfig {
    /// The configuration for a site served at `public_url`; cookies are `Secure` when it is https.
    pub fn for_public_url(public_url: impl Into<String>) -> Self {
        let public_url = public_url.into().trim_end_matches('/').to_owned();
        Self { secure_cookies: public_url.starts_with("https://"), public_url }
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        Self::for_public_url("http://127.0.0.1:8080")
    }
}
