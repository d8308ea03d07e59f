//! Mail: the one-time codes that prove a person owns the email they register with, sent over SMTP (lettre, rustls).

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::SmtpConfig;

/// How long one delivery to the mail server may take.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a mail was not handed to the server. The texts never hold the SMTP
/// URL (it may carry a password) or the mail's body (it holds the code).
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A permanent refusal (5xx), most often of the recipient.
    #[error("the mail server refused the message: {0}")]
    Refused(String),
    /// The server could not be reached, timed out or failed for now.
    #[error("the mail server could not take the message: {0}")]
    Unavailable(String),
    #[error("the mail could not be built: {0}")]
    Build(String),
}

/// An SMTP client for `SMTP_URL`, sending as `SMTP_FROM`.
pub(crate) struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub(crate) fn new(config: &SmtpConfig) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(config.url.expose_secret())
            .map_err(|_| MailError::Build("SMTP_URL is not a usable SMTP URL".into()))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        Ok(Self {
            transport,
            from: config.from.clone(),
        })
    }

    /// Send a plain-text mail to `to` (an address already validated).
    pub(crate) async fn send(
        &self,
        to: &str,
        subject: &str,
        body: String,
    ) -> Result<(), MailError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Build(e.to_string()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError::Build(e.to_string()))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Refused(smtp_error(&e))),
            Err(e) => Err(MailError::Unavailable(smtp_error(&e))),
        }
    }
}

/// What is safe to log of an SMTP error: its status code and kind.
fn smtp_error(e: &lettre::transport::smtp::Error) -> String {
    match e.status() {
        Some(code) => format!("SMTP {code}"),
        None if e.is_timeout() => "timed out".into(),
        None => "connection or TLS failure".into(),
    }
}
