//! Sessions of the web page: a clerk pastes the token once and gets a cookie that names a
//! random session id kept in memory (lost when the service restarts: the clerk signs in
//! again). Each session carries its own CSRF token, which every form of the page sends back
//! in a hidden field.
//!
//! The cookie is `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's page
//! sends it), `Path=/`, and `Secure` unless the page was asked for by a loopback host name
//! (`localhost`, `127.0.0.1`, `[::1]`): a browser keeps a `Secure` cookie only over HTTPS, so
//! a service reached by another name must be served over HTTPS (behind a reverse proxy); the
//! sign-in page says so when it is not.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};

use crate::service::Token;

/// The cookie that names the session.
pub(crate) const SESSION_COOKIE: &str = "anyqtama_session";
/// The cookie of the sign-in form's CSRF token (there is no session yet).
pub(crate) const SIGNIN_COOKIE: &str = "anyqtama_signin";
/// How long a session lasts after sign-in: a working day.
pub(crate) const LIFETIME: Duration = Duration::from_secs(12 * 3600);

/// A signed-in clerk.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// Whose token it was signed in with.
    pub(crate) holder: Token,
    /// The CSRF token of the session's forms.
    pub(crate) csrf: String,
    expires: Instant,
}

/// The sessions of the service, by id.
#[derive(Debug, Default)]
pub(crate) struct Sessions(Mutex<HashMap<String, Session>>);

/// 32 random bytes as 64 hex digits, from the operating system's generator.
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Sessions {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts a session for `holder`: its id.
    pub(crate) fn start(&self, holder: Token) -> String {
        let id = random_id();
        let now = Instant::now();
        let mut map = self.map();
        map.retain(|_, s| s.expires > now);
        map.insert(id.clone(), Session { holder, csrf: random_id(), expires: now + LIFETIME });
        id
    }

    /// The live session of the request's cookie, if any.
    pub(crate) fn of(&self, headers: &HeaderMap) -> Option<Session> {
        let id = cookie_value(headers, SESSION_COOKIE)?;
        let mut map = self.map();
        match map.get(&id) {
            Some(s) if s.expires > Instant::now() => Some(s.clone()),
            Some(_) => {
                map.remove(&id);
                None
            }
            None => None,
        }
    }

    /// Ends the session of the request's cookie.
    pub(crate) fn end(&self, headers: &HeaderMap) {
        if let Some(id) = cookie_value(headers, SESSION_COOKIE) {
            self.map().remove(&id);
        }
    }
}

/// The value of the cookie `name` of the request.
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// Whether the request names a loopback host (`localhost`, `127.x.x.x`, `[::1]`).
pub(crate) fn loopback(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else { return false };
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether the page reached the browser over HTTPS, as far as the service can tell: a proxy's
/// `X-Forwarded-Proto: https`.
pub(crate) fn https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value: `name=value` for `max_age` (zero: remove it).
pub(crate) fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age: Duration) -> HeaderValue {
    let cookie = Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(!loopback(headers))
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age.as_secs() as i64))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("a cookie of hex digits is a header value")
}

/// Whether two secrets are equal, in a time that does not depend on where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn loopback_hosts_are_told_apart_from_others() {
        for host in ["localhost:8080", "127.0.0.1:3000", "[::1]:80", "127.0.0.1", "LOCALHOST"] {
            assert!(loopback(&headers(&[("host", host)])), "{host}");
        }
        for host in ["register.adilet.kz", "10.0.0.5:8080", "[fe80::1]:80", "localhost.example"] {
            assert!(!loopback(&headers(&[("host", host)])), "{host}");
        }
        assert!(!loopback(&HeaderMap::new()));
    }

    #[test]
    fn the_cookie_is_secure_except_on_loopback() {
        let remote = set_cookie(&headers(&[("host", "10.0.0.5")]), SESSION_COOKIE, "ab", LIFETIME);
        assert_eq!(
            remote.to_str().unwrap(),
            "anyqtama_session=ab; HttpOnly; SameSite=Strict; Secure; Path=/; Max-Age=43200"
        );
        let local = set_cookie(&headers(&[("host", "127.0.0.1:9")]), SESSION_COOKIE, "ab", Duration::ZERO);
        assert_eq!(
            local.to_str().unwrap(),
            "anyqtama_session=ab; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
        );
    }

    #[test]
    fn a_session_is_found_by_its_cookie_and_ended() {
        let sessions = Sessions::default();
        let holder = Token { secret: "s".into(), body: None, name: String::new() };
        let id = sessions.start(holder);
        assert_eq!(id.len(), 64);
        let request = headers(&[("cookie", &format!("a=b; {SESSION_COOKIE}={id}"))]);
        let session = sessions.of(&request).expect("found");
        assert_eq!(session.csrf.len(), 64);
        assert_ne!(session.csrf, id);
        assert!(sessions.of(&headers(&[("cookie", &format!("{SESSION_COOKIE}=x{id}"))])).is_none());
        sessions.end(&request);
        assert!(sessions.of(&request).is_none());
    }

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
