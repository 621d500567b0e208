//! Where Inti may connect on a service's behalf (`baseUrl`, `healthCheckUrl`, webhooks):
//! http or https, no user-info, and no host that is or resolves to a loopback, private,
//! link-local, unique-local, multicast, reserved or cloud-metadata address, unless an operator
//! lists it in `gateway.allowed_private_hosts`. The URL parser normalises the odd spellings of
//! an address (`2130706433`, `0x7f.1`, `0177.0.0.1`, `[::ffff:127.0.0.1]`) before the check.
//! A DNS answer can change after this check (rebinding), and a name that does not resolve
//! now is accepted: whatever connects to these URLs (the gateway, health checks) must check
//! the address it actually connects to with `is_internal` again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use url::{Host, Url};

use crate::domain::error::AppError;

const RESOLVE_TIMEOUT: Duration = Duration::from_secs(3);

/// Checks `raw` for `field`; the parsed URL when it may be used.
pub async fn check(field: &str, raw: &str, allowed: &AllowedHosts) -> Result<Url, AppError> {
    let url = check_literal(field, raw, allowed)?;
    if let Some(Host::Domain(domain)) = url.host() {
        let port = url.port_or_known_default().unwrap_or(443);
        if !allowed.allows(domain, Some(port)) {
            let lookup = tokio::net::lookup_host((domain.to_string(), port));
            // A name that does not resolve now cannot be judged now; the connecting side
            // checks the address it connects to.
            if let Ok(Ok(addrs)) = tokio::time::timeout(RESOLVE_TIMEOUT, lookup).await {
                for addr in addrs {
                    if is_internal(addr.ip()) {
                        return Err(internal(field));
                    }
                }
            }
        }
    }
    Ok(url)
}

/// The checks that need no DNS: shape, scheme, user-info, and literal addresses.
pub fn check_literal(field: &str, raw: &str, allowed: &AllowedHosts) -> Result<Url, AppError> {
    let url = Url::parse(raw.trim())
        .map_err(|_| AppError::validation(field, "must be a valid absolute URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(AppError::validation(field, "must use http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AppError::validation(
            field,
            "must not contain a user name or password; store credentials as the service's API key",
        ));
    }
    let host = url
        .host()
        .ok_or_else(|| AppError::validation(field, "must name a host"))?;
    let host_text = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let port = url.port_or_known_default().unwrap_or(0);
    if allowed.allows(&host_text, Some(port)) {
        return Ok(url);
    }
    let refused = match host {
        Host::Ipv4(ip) => is_internal(IpAddr::V4(ip)),
        Host::Ipv6(ip) => is_internal(IpAddr::V6(ip)),
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost") || d.ends_with(".internal")
        }
    };
    if refused {
        return Err(internal(field));
    }
    Ok(url)
}

fn internal(field: &str) -> AppError {
    AppError::validation(
        field,
        "must not point to a loopback, private, link-local or metadata address",
    )
}

/// `gateway.allowed_private_hosts`, read once at start-up: internal hosts that outbound URLs
/// may name. An entry is `host` (any port) or `host:port`; IPv6 hosts in brackets
/// (`[::1]:3200`); names compare without case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedHosts(Vec<(String, Option<u16>)>);

impl AllowedHosts {
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Self {
        Self(
            entries
                .iter()
                .map(|e| split_entry(e.as_ref().trim()))
                .map(|(h, p)| (unbracket(h).to_ascii_lowercase(), p))
                .collect(),
        )
    }

    /// Whether `host` is allowed on `port`; on some port, when `port` is `None` (a resolver
    /// sees no port: the URL's was checked before).
    pub fn allows(&self, host: &str, port: Option<u16>) -> bool {
        let host = unbracket(host);
        self.0.iter().any(|(h, p)| {
            h.eq_ignore_ascii_case(host) && (p.is_none() || port.is_none() || *p == port)
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `host:port` or `host`; the colons of a bare IPv6 address are not a port.
fn split_entry(entry: &str) -> (&str, Option<u16>) {
    match entry.rsplit_once(':') {
        Some((h, p))
            if !h.ends_with(':')
                && p.parse::<u16>().is_ok()
                && (h.starts_with('[') || !h.contains(':')) =>
        {
            (h, p.parse::<u16>().ok())
        }
        _ => (entry, None),
    }
}

fn unbracket(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

/// Addresses no external service may have.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => internal_v6(v6),
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || a == 0 // "this network"
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, cloud metadata included
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || ip == Ipv4Addr::new(168, 63, 129, 16) // Azure's host endpoint
        || ip.is_multicast()
        || a >= 240 // reserved, broadcast
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // Addresses that carry an IPv4 address: judged by it.
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1 {
        return true; // local-use NAT64 (/48): where the IPv4 address sits depends on the prefix
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return internal_v4(embedded(s[6], s[7])); // well-known NAT64 prefix
    }
    if s[..4] == [0, 0, 0, 0] && s[4] == 0xffff && s[5] == 0 {
        return internal_v4(embedded(s[6], s[7])); // IPv4-translated
    }
    if s[0] == 0x2001 && s[1] == 0 {
        return true; // Teredo: tunnels to an address that cannot be judged here
    }
    if s[0] == 0x2002 {
        return internal_v4(embedded(s[1], s[2])); // 6to4
    }
    if s[..6] == [0, 0, 0, 0, 0, 0] && !ip.is_loopback() && !ip.is_unspecified() {
        return internal_v4(embedded(s[6], s[7])); // IPv4-compatible (deprecated)
    }
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link local
        || (s[0] & 0xffc0) == 0xfec0 // site local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[0] == 0x0100 && s[1..4] == [0, 0, 0] // discard
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_refused_in_every_spelling() {
        for raw in [
            "http://127.0.0.1/",
            "http://localhost:8080/",
            "http://10.0.0.5/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://0177.0.0.1/",
            "http://192.168.1.10/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[64:ff9b:1::a00:1]/",
            "http://[::ffff:0:7f00:1]/",
            "http://[2001:0:4136:e378::1]/",
            "http://192.88.99.1/",
            "http://168.63.129.16/",
            "http://metadata.google.internal/",
        ] {
            let err = check_literal("baseUrl", raw, &AllowedHosts::default()).expect_err(raw);
            assert_eq!(err.field(), Some("baseUrl"), "{raw}");
        }
    }

    #[test]
    fn user_info_and_other_schemes_are_refused() {
        for raw in [
            "http://user:pw@example.com/",
            "ftp://example.com/",
            "example.com",
            "javascript:alert(1)",
        ] {
            assert!(
                check_literal("baseUrl", raw, &AllowedHosts::default()).is_err(),
                "{raw}"
            );
        }
    }

    #[test]
    fn public_addresses_and_listed_hosts_pass() {
        assert!(check_literal(
            "baseUrl",
            "https://api.example.com/v1",
            &AllowedHosts::default()
        )
        .is_ok());
        assert!(
            check_literal("baseUrl", "http://93.184.216.34/", &AllowedHosts::default()).is_ok()
        );
        let allowed = AllowedHosts::parse(&["127.0.0.1:3200", "[::1]"]);
        assert!(check_literal("baseUrl", "http://127.0.0.1:3200", &allowed).is_ok());
        assert!(
            check_literal("baseUrl", "http://127.0.0.1:6379", &allowed).is_err(),
            "another port"
        );
        assert!(check_literal("baseUrl", "http://127.0.0.2:3200", &allowed).is_err());
        assert!(check_literal("baseUrl", "http://[::1]:9999/", &allowed).is_ok());
    }
}
