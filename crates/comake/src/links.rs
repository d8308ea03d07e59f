//! The two web pages a user opens in a browser, as URLs that carry a clientToken and so are credentials.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::wire::{ContractId, UPLOAD_CONTRACT_PARAM, UPLOAD_PAGE, UPLOAD_TOKEN_PARAM};

/// A URL that lets whoever holds it act as a Comake user. It prints as
/// `[redacted]`; only the code that puts it into a private reply exposes it.
#[derive(Clone)]
pub struct SecretUrl(SecretString);

impl SecretUrl {
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretUrl([redacted])")
    }
}

/// `{web}/contract/upload?token=…`: upload a new contract.
pub fn new_contract_url(web: &Url, token: &SecretString) -> SecretUrl {
    build(web, token, None)
}

/// `{web}/contract/upload?token=…&contractId=…`: change an existing contract.
pub fn edit_contract_url(web: &Url, token: &SecretString, id: &ContractId) -> SecretUrl {
    build(web, token, Some(id))
}

fn build(web: &Url, token: &SecretString, id: Option<&ContractId>) -> SecretUrl {
    let mut url = web.clone();
    url.set_query(None);
    url.set_fragment(None);
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().extend(UPLOAD_PAGE);
    }
    {
        let mut q = url.query_pairs_mut();
        q.append_pair(UPLOAD_TOKEN_PARAM, token.expose_secret());
        if let Some(id) = id {
            q.append_pair(UPLOAD_CONTRACT_PARAM, id.as_str());
        }
    }
    SecretUrl(SecretString::from(String::from(url)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_query_encoded() {
        let web = Url::parse("https://comake.ai").unwrap();
        let token = SecretString::from("a+b/c=&d".to_owned());
        let url = new_contract_url(&web, &token);
        assert_eq!(
            url.expose(),
            "https://comake.ai/contract/upload?token=a%2Bb%2Fc%3D%26d"
        );
        let id = ContractId::parse("64b7f0c2a1b2c3d4e5f60718").unwrap();
        let url = edit_contract_url(&Url::parse("http://127.0.0.1:9/web/").unwrap(), &token, &id);
        assert_eq!(
            url.expose(),
            "http://127.0.0.1:9/web/contract/upload?token=a%2Bb%2Fc%3D%26d&contractId=64b7f0c2a1b2c3d4e5f60718"
        );
        let parsed = Url::parse(url.expose()).unwrap();
        let pairs: Vec<_> = parsed.query_pairs().collect();
        assert_eq!(pairs[0].1, "a+b/c=&d");
    }

    #[test]
    fn debug_never_shows_the_token() {
        let web = Url::parse("https://comake.ai").unwrap();
        let url = new_contract_url(&web, &SecretString::from("tok123".to_owned()));
        assert!(!format!("{url:?}").contains("tok123"));
    }
}
