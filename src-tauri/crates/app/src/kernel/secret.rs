//! Passphrases as they arrive from a front end (a Tauri command's argument, a prompt, an
//! environment variable): held in memory that is wiped when they are dropped, so a
//! passphrase does not linger in freed heap after the act it opened a key for.

use serde::{Deserialize, Deserializer};
use zeroize::Zeroizing;

/// A passphrase, wiped from memory when dropped. Reads as `&str`.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(text: String) -> Self {
        Self(Zeroizing::new(text))
    }
}

impl std::ops::Deref for Passphrase {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

impl<'de> Deserialize<'de> for Passphrase {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_reads_as_text_and_never_prints() {
        let p: Passphrase = serde_json::from_str("\"correct horse battery\"")
            .unwrap_or_else(|_| Passphrase::new(String::new()));
        assert_eq!(&*p, "correct horse battery");
        assert_eq!(format!("{p:?}"), "Passphrase(..)");
    }
}
