//! The public pages and the request form, driven like a browser without JavaScript would drive them:
//! plain GETs and url-encoded form POSTs with the session cookie, each test on a fresh database.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::browser::{Browser, form_body, session_cookie, unescape};
use common::{PASSWORD, Reply, TestApp};
use serde_json::json;

/// A browser's same-origin GET, with the session cookie when given.
async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> Reply {
    Browser { app, cookie: cookie.map(str::to_owned) }.get(path).await
}

/// A browser's same-origin form POST.
async fn submit(app: &TestApp, path: &str, cookie: Option<&str>, pairs: &[(&str, &str)]) -> Reply {
    Browser { app, cookie: cookie.map(str::to_owned) }.post(path, pairs).await
}

/// The first free 30-minute slot of the test host: now is Monday 09:00 UTC and 24 hours' notice rules out
/// Tuesday's morning window, so it is Tuesday's evening window in London (GMT in March).
const FIRST_SLOT: &str = "2026-03-03T17:00:00Z";

/// Logs in through the form; returns the session cookie.
async fn log_in(app: &TestApp, email: &str) -> String {
    let reply = submit(app, "/login", None, &[("email", email), ("password", PASSWORD)]).await;
    let reply = reply.expect(StatusCode::SEE_OTHER);
    session_cookie(&reply)
}

/// A seeker (in New York) logged in through the form; returns the session cookie.
async fn seeker_session(app: &TestApp, email: &str) -> String {
    app.seeker(email).await;
    log_in(app, email).await
}

#[tokio::test]
async fn signing_up_through_the_form_starts_a_session() {
    let app = TestApp::new().await;
    let form = page(&app, "/signup?role=host", None).await.expect(StatusCode::OK).text();
    for input in [r#"name="email""#, r#"name="password""#, r#"name="name""#, r#"name="time_zone""#] {
        assert!(form.contains(input), "sign-up form lacks {input}");
    }
    assert!(form.contains(r#"id="role-host" name="roles" value="host" checked"#), "?role=host preselects hosting");
    assert!(form.contains(r#"<label for="time_zone">"#), "every input has a label");

    let reply = submit(
        &app,
        "/signup",
        None,
        &[
            ("name", "Sam Rivera"),
            ("email", "sam@example.org"),
            ("password", PASSWORD),
            ("roles", "seeker"),
            ("time_zone", "Europe/Paris"),
        ],
    )
    .await
    .expect(StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/hosts");
    let cookie = session_cookie(&reply);
    assert!(
        reply.headers.get_all(header::SET_COOKIE).iter().any(|v| v.to_str().unwrap().contains("HttpOnly")),
        "the session cookie is HttpOnly"
    );

    let directory = page(&app, "/hosts", Some(&cookie)).await.expect(StatusCode::OK).text();
    assert!(directory.contains("Sam Rivera"), "the header names the signed-in user");
    assert!(directory.contains("Welcome to Coffeechat"), "the flash message is shown once");
    assert!(directory.contains(r#"action="/logout""#));
    let again = page(&app, "/hosts", Some(&cookie)).await.text();
    assert!(!again.contains("Welcome to Coffeechat"), "a flash message is not shown twice");
}

#[tokio::test]
async fn a_refused_sign_up_names_the_fields_and_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let reply = submit(
        &app,
        "/signup",
        None,
        &[("name", "Sam Rivera"), ("email", "not-an-email"), ("password", "short"), ("time_zone", "Mars/Olympus")],
    )
    .await
    .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let html = reply.text();
    assert!(html.contains("Email must look like name@example.org."), "{html}");
    assert!(html.contains("Password must be at least 8 characters."));
    assert!(html.contains("choose at least one role") || html.contains("Choose at least one role"));
    assert!(html.contains(r#"value="Sam Rivera""#) && html.contains(r#"value="not-an-email""#));
    assert!(!html.contains(r#"value="short""#), "the password is never echoed");
    assert!(reply.headers.get(header::SET_COOKIE).is_none_or(|v| !v.to_str().unwrap().contains("coffeechat_session=")));
}

#[tokio::test]
async fn a_wrong_password_shows_the_message_and_keeps_the_email() {
    let app = TestApp::new().await;
    app.seeker("sam@example.org").await;
    let reply = submit(&app, "/login", None, &[("email", "sam@example.org"), ("password", "wrong password!")])
        .await
        .expect(StatusCode::UNAUTHORIZED);
    let html = unescape(&reply.text());
    assert!(html.contains("That email and password don't match"), "{html}");
    assert!(html.contains(r#"value="sam@example.org""#), "the email is kept");
    assert!(!html.contains("wrong password!"), "the password is never echoed");
}

#[tokio::test]
async fn logging_in_returns_to_local_pages_only() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    app.seeker("sam@example.org").await;
    let back = |next: &'static str| {
        let app = &app;
        async move {
            submit(app, "/login", None, &[("email", "sam@example.org"), ("password", PASSWORD), ("next", next)])
                .await
                .expect(StatusCode::SEE_OTHER)
                .header("location")
                .to_owned()
        }
    };
    assert_eq!(back("/h/priya-data?tz=Asia/Tokyo").await, "/h/priya-data?tz=Asia/Tokyo");
    assert_eq!(back("https://evil.example/phish").await, "/hosts");
    assert_eq!(back("//evil.example").await, "/hosts");

    // A page that needs a session sends visitors to log in and remembers where they were going.
    let reply = page(&app, "/h/priya-data/request?length=30", None).await.expect(StatusCode::SEE_OTHER);
    assert!(reply.header("location").starts_with("/login?next=/h/priya-data/request"), "{}", reply.header("location"));
    let login = page(&app, reply.header("location"), None).await.expect(StatusCode::OK).text();
    assert!(login.contains(r#"name="next" value="/h/priya-data/request?length=30""#), "{login}");
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = TestApp::new().await;
    let cookie = seeker_session(&app, "sam@example.org").await;
    let reply = submit(&app, "/logout", Some(&cookie), &[]).await.expect(StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/");
    let after = page(&app, "/hosts", Some(&cookie)).await.expect(StatusCode::OK).text();
    assert!(after.contains(r#"href="/login""#) && !after.contains("Sam Seeker"), "the old cookie no longer signs in");
}

/// A second host in another industry, not accepting requests (so it has no free times).
async fn second_host(app: &TestApp) {
    let (_, token) = app.sign_up("leo@example.org", "Leo Okafor", &["host"], "Africa/Lagos").await;
    let profile = json!({
        "handle": "leo-builds",
        "name": "Leo Okafor",
        "headline": "Site manager on large housing projects",
        "role": "Site manager",
        "employer": "Harbour Construction",
        "industry": "Construction",
        "skills": ["scheduling", "safety"],
        "topics": ["Getting into construction management"],
        "career_path": "Apprentice carpenter, foreman, then site manager."
    });
    app.put("/api/v1/me/host-profile", Some(&token), profile).await.expect(StatusCode::OK);
    let mut policy = common::policy();
    policy["time_zone"] = json!("Africa/Lagos");
    policy["accepting"] = json!(false);
    app.put("/api/v1/me/policy", Some(&token), policy).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn the_directory_filters_by_text_industry_skill_and_free_times() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    second_host(&app).await;

    let everyone = page(&app, "/hosts", None).await.expect(StatusCode::OK).text();
    assert!(everyone.contains("Priya Raman") && everyone.contains("Leo Okafor"));
    assert!(everyone.contains("2 people found."));
    assert!(everyone.contains(r#"<option value="Construction">Construction</option>"#), "industries come from hosts");
    assert!(everyone.contains("Next free: Tue 3 Mar 2026, 17:00 (Europe/London)"), "times name their zone");

    let text = page(&app, "/hosts?q=carpenter", None).await.text();
    assert!(text.contains("Leo Okafor") && !text.contains("Priya Raman"), "text search reads the career path");

    let industry = page(&app, "/hosts?industry=Healthcare", None).await.text();
    assert!(industry.contains("Priya Raman") && !industry.contains("Leo Okafor"));
    assert!(industry.contains(r#"<option value="Healthcare" selected>"#), "the chosen industry stays selected");

    let skill = page(&app, "/hosts?skill=safety", None).await.text();
    assert!(skill.contains("Leo Okafor") && !skill.contains("Priya Raman"));

    let free = page(&app, "/hosts?free=1", None).await.text();
    assert!(free.contains("Priya Raman") && !free.contains("Leo Okafor"), "hosts without free times are hidden");
    assert!(free.contains(r#"name="free" value="1" checked"#));

    let in_tokyo = page(&app, "/hosts?tz=Asia/Tokyo", None).await.text();
    assert!(in_tokyo.contains("Next free: Wed 4 Mar 2026, 02:00 (Asia/Tokyo)"), "tz shows times in the viewer's zone");

    let nobody = page(&app, "/hosts?q=astronaut", None).await.text();
    assert!(nobody.contains("No one matches.") && nobody.contains("clear all filters"));
}

#[tokio::test]
async fn an_htmx_search_returns_only_the_results_fragment() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    second_host(&app).await;
    let request = Request::builder()
        .uri("/hosts?industry=Construction")
        .header("hx-request", "true")
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await.expect(StatusCode::OK);
    assert!(reply.header("vary").to_ascii_lowercase().contains("hx-request"), "caches must key on HX-Request");
    let html = reply.text();
    assert!(html.trim_start().starts_with(r#"<div id="results">"#), "{html}");
    assert!(!html.contains("<html") && !html.contains("<form"), "no layout, no search form");
    assert!(html.contains("Leo Okafor") && !html.contains("Priya Raman"));
    assert!(html.contains(r#"<p id="result-count" hx-swap-oob="innerHTML">1 person found.</p>"#), "{html}");

    // The whole page, for the same URL without the header, has the live-search wiring.
    let full = page(&app, "/hosts?industry=Construction", None).await.text();
    assert!(full.contains("<html") && full.contains(r#"hx-trigger="input delay:300ms, search, submit""#));
    assert!(full.contains(r##"hx-target="#results""##) && full.contains(r#"hx-push-url="true""#));
}

#[tokio::test]
async fn the_host_page_lists_slots_in_the_viewers_zone_and_names_it() {
    let app = TestApp::new().await;
    app.host("priya-data").await;

    // A visitor with no zone sees the host's zone, and app.js is allowed to offer the browser's.
    let html = unescape(&page(&app, "/h/priya-data", None).await.expect(StatusCode::OK).text());
    assert!(html.contains("<h1>Priya Raman</h1>"));
    assert!(html.contains("Senior data scientist at Northwind Health"));
    assert!(html.contains("Moving from teaching to data"), "topics are listed");
    assert!(html.contains("<li>Tue 07:30–08:30, 17:00–18:00</li>"), "usual times: {html}");
    assert!(html.contains("in Europe/London"), "usual times name the host's zone");
    assert!(html.contains("20 or 30 minutes") && html.contains("10 conversations"));
    assert!(html.contains(r#"data-detect-zone="navigate""#));
    assert!(html.contains("<h3 id=\"day-1\">Tue 3 Mar 2026</h3>"), "slots are grouped by day: {html}");
    assert!(html.contains(r#"aria-label="Request Tue 3 Mar 2026, 17:00 (Europe/London), 20 minutes">17:00</a>"#));
    assert!(html.contains(r#"href="/h/priya-data/request?length=20&start=2026-03-03T17:00:00Z&tz=Europe/London""#));

    // `tz` moves every time, and says so.
    let tokyo = page(&app, "/h/priya-data?tz=Asia/Tokyo&length=30", None).await.expect(StatusCode::OK).text();
    assert!(tokyo.contains(r#"aria-label="Request Wed 4 Mar 2026, 02:00 (Asia/Tokyo), 30 minutes""#), "{tokyo}");
    assert!(tokyo.contains(r#"<h3 id="day-1">Wed 4 Mar 2026</h3>"#), "days are the viewer's days");
    assert!(tokyo.contains("Times are shown in <strong>Asia/Tokyo</strong> (UTC+09:00)"));
    assert!(!tokyo.contains(r#"data-detect-zone="navigate""#), "a chosen zone is never replaced");
    assert!(tokyo.contains(r#"<option value="Asia/Tokyo" selected>"#));

    // A signed-in seeker sees their own zone by default.
    let cookie = seeker_session(&app, "sam@example.org").await;
    let new_york = page(&app, "/h/priya-data", Some(&cookie)).await.text();
    assert!(new_york.contains(r#"aria-label="Request Tue 3 Mar 2026, 12:00 (America/New_York), 20 minutes""#));

    // Unknown zones and lengths fall back with a notice instead of failing.
    let odd = page(&app, "/h/priya-data?tz=Mars/Olympus&length=45", None).await.expect(StatusCode::OK).text();
    let odd = unescape(&odd);
    assert!(odd.contains("“Mars/Olympus” is not a time zone we know"), "{odd}");
    assert!(odd.contains("Priya Raman doesn't offer 45-minute conversations, so 20-minute times are shown."), "{odd}");

    let missing = page(&app, "/h/nobody-here", None).await.expect(StatusCode::NOT_FOUND).text();
    assert!(
        missing.contains("Host not found.") && missing.contains(r#"<main id="main""#),
        "an HTML error page: {missing}"
    );
}

#[tokio::test]
async fn the_home_page_features_hosts_with_free_times() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    second_host(&app).await;
    let html = page(&app, "/", None).await.expect(StatusCode::OK).text();
    assert!(html.contains(r#"href="/h/priya-data""#) && !html.contains(r#"href="/h/leo-builds""#));
    assert!(html.contains(r#"<main id="main""#) && html.contains(r##"class="skip-link" href="#main""##));
    assert!(html.contains(r#"src="/assets/htmx.min.js" defer"#) && html.contains(r#"src="/assets/app.js" defer"#));
}

#[tokio::test]
async fn the_request_form_keeps_everything_typed_when_refused() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let cookie = seeker_session(&app, "sam@example.org").await;
    let start = FIRST_SLOT;
    assert_eq!(app.slots("priya-data", 30).await[0].0.to_string(), start);

    let form = page(&app, &format!("/h/priya-data/request?length=30&start={start}&tz=Europe/London"), Some(&cookie))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(form.contains(&format!(r#"name="proposed_starts" value="{start}""#)));
    assert!(
        form.contains(r#"aria-label="Tue 3 Mar 2026, 17:00 (Europe/London)" checked>"#),
        "the slot from the link is preselected and its name states date, time and zone: {form}"
    );
    assert!(form.contains(r#"name="length_minutes" value="30""#));
    assert!(form.contains(r#"value="Career path""#), "the question bank's topics are offered");
    assert!(form.contains("Moving from teaching to data"), "the host's own topics are named as a hint");

    let typed = [
        ("length_minutes", "30"),
        ("tz", "Europe/London"),
        ("proposed_starts", start),
        ("purpose", "   "),
        ("topics", "Career path"),
        ("questions", "What did your first month look like?\nWhich course helped most?"),
    ];
    let reply = submit(&app, "/h/priya-data/request", Some(&cookie), &typed).await;
    let html = unescape(&reply.expect(StatusCode::UNPROCESSABLE_ENTITY).text());
    assert!(html.contains("Say in a sentence or two what you hope to learn."), "{html}");
    assert!(html.contains(r#"id="purpose-error""#) && html.contains(r#"aria-invalid="true""#));
    assert!(html.contains("What did your first month look like?\nWhich course helped most?"), "questions kept");
    assert!(html.contains(r#"value="Career path" checked"#), "checked topics kept");
    assert!(html.contains(r#"aria-label="Tue 3 Mar 2026, 17:00 (Europe/London)" checked>"#), "chosen slot kept");

    let none_chosen = [
        ("length_minutes", "30"),
        ("purpose", "Curious about the move into data."),
        ("topics", "Career path"),
        ("questions", "What did your first month look like?\nWhich course helped most?\nWhat would you do again?"),
    ];
    let html = submit(&app, "/h/priya-data/request", Some(&cookie), &none_chosen)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY)
        .text();
    assert!(html.contains(r#"id="proposed_starts-error""#), "{html}");
    assert!(html.contains("Curious about the move into data."));
}

#[tokio::test]
async fn a_valid_request_redirects_to_the_new_request() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let cookie = seeker_session(&app, "sam@example.org").await;
    let slots = app.slots("priya-data", 30).await;
    let (first, second) = (slots[0].0.to_string(), slots[1].0.to_string());
    let reply = submit(
        &app,
        "/h/priya-data/request",
        Some(&cookie),
        &[
            ("length_minutes", "30"),
            ("proposed_starts", &first),
            ("proposed_starts", &second),
            ("purpose", "I teach maths and want to hear how you moved into data science."),
            ("topics", "career_path"),
            ("questions", "Which skills mattered most?\n\nHow did you find your first role?\nWhat would you do again?"),
        ],
    )
    .await
    .expect(StatusCode::SEE_OTHER);
    let location = reply.header("location").to_owned();
    let id: i64 =
        location.strip_prefix("/requests/").and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("{location}"));

    // The request holds exactly what was sent (read back through the API with the same session).
    let request = app
        .send(
            Request::builder()
                .uri(format!("/api/v1/requests/{id}"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(request["proposed_starts"].as_array().unwrap().len(), 2);
    assert_eq!(
        request["questions"],
        json!(["Which skills mattered most?", "How did you find your first role?", "What would you do again?"])
    );
    assert_eq!(request["topics"], json!(["Career path"]));
    assert_eq!(request["length_minutes"], 30);

    // A time that never was a slot is refused, named as the form showed times (the seeker's zone). Another
    // seeker asks: this one already has a request open with the host.
    let other = seeker_session(&app, "kim@example.org").await;
    let taken = submit(
        &app,
        "/h/priya-data/request",
        Some(&other),
        &[
            ("length_minutes", "30"),
            ("proposed_starts", "2026-03-03T12:00:00Z"),
            ("purpose", "Curious."),
            ("topics", "Advancement"),
            ("questions", "One?\nTwo?\nThree?"),
        ],
    )
    .await
    .expect(StatusCode::UNPROCESSABLE_ENTITY)
    .text();
    assert!(taken.contains("Tue 3 Mar 2026, 07:00 (America/New_York) is not a free slot."), "{taken}");
}

#[tokio::test]
async fn only_seekers_get_the_request_form() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    second_host(&app).await;
    let host_cookie = log_in(&app, "leo@example.org").await;
    page(&app, "/h/priya-data/request", Some(&host_cookie)).await.expect(StatusCode::FORBIDDEN);
    let host_page = page(&app, "/h/priya-data", Some(&host_cookie)).await.text();
    assert!(!host_page.contains(r#"href="/h/priya-data/request"#), "a host-only account gets no request links");
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = TestApp::new().await;
    app.host("priya-data").await;
    let cookie = seeker_session(&app, "sam@example.org").await;
    let start = app.slots("priya-data", 30).await[0].0.to_string();
    let body =
        form_body(&[("length_minutes", "30"), ("proposed_starts", &start), ("purpose", "Planted by another site.")]);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/h/priya-data/request")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(body))
        .unwrap();
    app.send(request).await.expect(StatusCode::FORBIDDEN);
    let login = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(form_body(&[("email", "sam@example.org"), ("password", PASSWORD)])))
        .unwrap();
    let reply = app.send(login).await.expect(StatusCode::FORBIDDEN);
    assert!(reply.headers.get(header::SET_COOKIE).is_none(), "no session for a cross-site login");

    let mine = app
        .send(Request::builder().uri("/api/v1/requests").header(header::COOKIE, &cookie).body(Body::empty()).unwrap())
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(mine.as_array().map(Vec::len), Some(0), "nothing was created: {mine}");
}
