//! The mail sink: an SMTP server on 127.0.0.1 (mailin-embedded, no TLS) that keeps every mail for the mail panel.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine as _;
use mailin_embedded::{response, Handler, Response, Server, SslConfig};
use serde::Serialize;

/// One mail, decoded for reading.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Mail {
    pub(crate) to: Vec<String>,
    pub(crate) subject: String,
    pub(crate) body: String,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[derive(Clone)]
struct Keep {
    mails: Arc<Mutex<Vec<Mail>>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Keep {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, _from: &str) -> Response {
        self.to.clear();
        self.data.clear();
        response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        self.to.push(to.to_owned());
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        // A registration mail is small; refuse to keep a flood.
        if self.data.len() + buf.len() <= 256 * 1024 {
            self.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let raw = String::from_utf8_lossy(&std::mem::take(&mut self.data)).into_owned();
        let mail = decode(std::mem::take(&mut self.to), &raw);
        let mut mails = lock(&self.mails);
        mails.push(mail);
        let excess = mails.len().saturating_sub(200);
        mails.drain(..excess);
        response::OK
    }
}

/// The running sink; it serves on its own threads until the process ends.
pub(crate) struct MailSink {
    addr: SocketAddr,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl MailSink {
    pub(crate) fn start() -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let mails = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Keep {
            mails: mails.clone(),
            to: Vec::new(),
            data: Vec::new(),
        });
        server
            .with_name("mail.playground")
            .with_num_threads(2)
            .with_ssl(SslConfig::None)
            .map_err(|e| std::io::Error::other(e.to_string()))?
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Ok(Self { addr, mails })
    }

    /// `SMTP_URL` for the bot.
    pub(crate) fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub(crate) fn mails(&self) -> Vec<Mail> {
        lock(&self.mails).clone()
    }
}

/// The recipients, the subject and the body of a raw message.
fn decode(to: Vec<String>, raw: &str) -> Mail {
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .unwrap_or((raw, ""));
    // Unfold continued header lines.
    let head = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let subject = header("Subject")
        .map(|s| encoded_words(&s))
        .unwrap_or_default();
    let encoding = header("Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let body = match encoding.as_str() {
        "base64" => {
            let joined: String = body.split_whitespace().collect();
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        }
        "quoted-printable" => quoted_printable(body),
        _ => body.to_owned(),
    };
    Mail { to, subject, body }
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded.
fn encoded_words(header: &str) -> String {
    let mut out = String::new();
    for (i, word) in header.split_whitespace().enumerate() {
        let decoded = word
            .strip_prefix("=?")
            .and_then(|w| w.strip_suffix("?="))
            .and_then(|w| {
                let mut parts = w.splitn(3, '?');
                let (_charset, kind, text) = (parts.next()?, parts.next()?, parts.next()?);
                match kind {
                    "b" | "B" => base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .ok()
                        .map(|b| String::from_utf8_lossy(&b).into_owned()),
                    "q" | "Q" => Some(quoted_printable(&text.replace('_', " "))),
                    _ => None,
                }
            });
        match decoded {
            // Adjacent encoded words join without the space between them.
            Some(d) => out.push_str(&d),
            None => {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
    }
    out
}

fn quoted_printable(text: &str) -> String {
    let raw = text.replace("=\r\n", "").replace("=\n", "");
    let b = raw.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                bytes.push(v);
                i += 3;
                continue;
            }
        }
        bytes.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base64_mail_with_an_encoded_subject_reads_as_text() {
        let raw = "Subject: =?utf-8?b?7L2U65OcOiAxMjM=?=\r\nContent-Transfer-Encoding: base64\r\n\r\n7L2U65OcOiAxMjM0NTY3OA==\r\n";
        let mail = decode(vec!["a@b.example".into()], raw);
        assert_eq!(mail.subject, "코드: 123");
        assert_eq!(mail.body, "코드: 12345678");
    }

    #[test]
    fn quoted_printable_joins_soft_breaks_and_decodes_bytes() {
        assert_eq!(quoted_printable("a=3Db=\r\nc =EC=BD=94"), "a=bc 코");
        assert_eq!(quoted_printable("ends with ="), "ends with =");
    }
}
