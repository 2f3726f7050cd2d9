//! Reminder emails, sent through the council's SMTP relay when one is configured. Without
//! one, Hexplan lists who is late and sends nothing.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The site's address, for links in messages: "https://hexplan.example.gov.uk".
    pub site: String,
}

impl Mailer {
    /// A mailer for an SMTP URL such as `smtp://relay.council.gov.uk:587?tls=required` or
    /// `smtps://user:password@relay.council.gov.uk`, sending from `from`.
    pub fn new(url: &str, from: &str, site: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("the SMTP address {url} cannot be used: {e}"))?
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("the sender address {from} cannot be used: {e}"))?;
        Ok(Mailer {
            transport,
            from,
            site: site.trim_end_matches('/').to_string(),
        })
    }

    /// Sends a plain-text message to one person.
    pub async fn send(
        &self,
        name: &str,
        email: &str,
        subject: &str,
        body: String,
    ) -> Result<(), String> {
        let to = Mailbox::new(
            Some(name.to_string()),
            email.parse().map_err(|e| format!("{email}: {e}"))?,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
