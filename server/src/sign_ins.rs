//! How often a client may try to sign in.

use axum::http::HeaderMap;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Sign-in attempts per client address, across every account (governor's GCRA), and how a
/// client's address is told. An address over its rate waits, whichever accounts it tries: so
/// one address cannot try a password on every account, nor lock many accounts out.
#[derive(Clone)]
pub struct SignIns {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    behind_proxy: bool,
}

/// Addresses remembered before those quiet long enough to be back at full allowance are
/// forgotten.
const REMEMBERED_ADDRESSES: usize = 10_000;

impl SignIns {
    /// `per_minute` attempts a minute from one address, twice as many at once.
    pub fn new(per_minute: u32, behind_proxy: bool) -> SignIns {
        let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = rate.saturating_mul(NonZeroU32::MIN.saturating_add(1));
        SignIns {
            limiter: Arc::new(RateLimiter::keyed(
                Quota::per_minute(rate).allow_burst(burst),
            )),
            behind_proxy,
        }
    }

    /// The client's address: the connection's own, or behind a proxy (`--behind-proxy`) the
    /// last one in X-Forwarded-For, which that proxy added.
    pub fn address_of(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> IpAddr {
        let forwarded = || {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .last()?
                .trim()
                .parse::<IpAddr>()
                .ok()
        };
        let address = if self.behind_proxy {
            forwarded()
        } else {
            peer.map(|peer| peer.ip())
        };
        address.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    /// Admits one more attempt from `address`, or says in how many seconds it may try.
    pub(crate) fn admit(&self, address: IpAddr) -> Result<(), u64> {
        if self.limiter.len() > REMEMBERED_ADDRESSES {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&address).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::SignIns;
    use std::net::{IpAddr, SocketAddr};

    #[test]
    fn the_clients_address_is_the_connections_unless_behind_a_proxy() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 10.0.0.7".parse().unwrap());
        let peer: SocketAddr = "192.0.2.1:40000".parse().unwrap();
        let direct = SignIns::new(10, false);
        assert_eq!(
            direct.address_of(&headers, Some(peer)),
            "192.0.2.1".parse::<IpAddr>().unwrap()
        );
        let proxied = SignIns::new(10, true);
        assert_eq!(
            proxied.address_of(&headers, Some(peer)),
            "10.0.0.7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn an_address_gets_twice_its_rate_at_once_then_waits_and_others_do_not() {
        let limits = SignIns::new(10, false);
        let crowd: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..20 {
            assert_eq!(limits.admit(crowd), Ok(()));
        }
        let wait = limits.admit(crowd).unwrap_err();
        assert!((1..=6).contains(&wait), "{wait}");
        assert_eq!(limits.admit("192.0.2.2".parse().unwrap()), Ok(()));
    }
}
