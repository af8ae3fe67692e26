//! Mail really leaves over SMTP: a minimal SMTP server started by the test on 127.0.0.1 receives what the outbox
//! worker sends through lettre, and the received MIME structure is checked part by part.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod mail_support;
mod support;

use std::sync::Arc;

use coffeechat_service::{MailDestination, mail_transport};
use coffeechat_store::OutboxStatus;
use mail_parser::{MessageParser, MimeHeaders as _};
use mail_support::{THU_0900, World};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

/// One message as the server received it: the envelope and the raw DATA.
#[derive(Debug, Clone)]
struct Received {
    mail_from: String,
    rcpt_to: Vec<String>,
    data: Vec<u8>,
}

/// Speaks just enough SMTP (RFC 5321) for a client to deliver: greeting, EHLO/HELO, MAIL, RCPT, DATA with
/// dot-unstuffing, RSET, NOOP and QUIT. Every connection is served until the client quits.
async fn smtp_server() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let shared = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let inbox = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read);
                write.write_all(b"220 test.local ESMTP ready\r\n").await.unwrap();
                let mut current = Received { mail_from: String::new(), rcpt_to: Vec::new(), data: Vec::new() };
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        break;
                    }
                    let command = line.trim_end().to_owned();
                    let verb = command.split([' ', ':']).next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-test.local\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                        "HELO" | "NOOP" => b"250 OK\r\n",
                        "RSET" => {
                            current = Received { mail_from: String::new(), rcpt_to: Vec::new(), data: Vec::new() };
                            b"250 OK\r\n"
                        }
                        "MAIL" => {
                            current.mail_from = command.clone();
                            b"250 OK\r\n"
                        }
                        "RCPT" => {
                            current.rcpt_to.push(command.clone());
                            b"250 OK\r\n"
                        }
                        "DATA" => {
                            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await.unwrap();
                            let mut data = Vec::new();
                            loop {
                                let mut raw = Vec::new();
                                if lines.read_until(b'\n', &mut raw).await.unwrap_or(0) == 0 {
                                    return;
                                }
                                if raw == b".\r\n" {
                                    break;
                                }
                                // Dot-unstuffing (RFC 5321 §4.5.2).
                                let unstuffed = if raw.starts_with(b"..") { &raw[1..] } else { &raw[..] };
                                data.extend_from_slice(unstuffed);
                            }
                            current.data = data;
                            inbox.lock().await.push(current.clone());
                            b"250 OK: queued\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 Bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"502 Command not implemented\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, inbox)
}

#[tokio::test]
async fn an_invitation_arrives_over_smtp_with_text_inline_calendar_and_attachment() {
    let (port, inbox) = smtp_server().await;
    let world = World::new().await;
    let (_host, _seeker, interview) = world.booked(THU_0900).await;
    let queued = world.outbox().await;
    assert_eq!(queued.len(), 3, "the request to the host, then the invitation to each side");

    let transport = mail_transport(
        &MailDestination::Smtp(format!("smtp://127.0.0.1:{port}")),
        "Coffeechat <noreply@coffeechat.example>",
    )
    .unwrap();
    assert_eq!(transport.describe(), format!("SMTP server smtp://127.0.0.1:{port}"));
    let run = world.services.send_due_mail(transport.as_ref()).await.unwrap();
    assert_eq!((run.sent, run.retrying, run.failed), (3, 0, 0));
    for message in world.outbox().await {
        assert_eq!(message.status, OutboxStatus::Sent, "{}", message.kind);
        assert!(message.sent_at.is_some());
    }

    let received = inbox.lock().await.clone();
    assert_eq!(received.len(), 3);
    let to_seeker =
        received.iter().find(|mail| mail.rcpt_to.iter().any(|to| to.contains("<sam@example.org>"))).unwrap();
    assert!(to_seeker.mail_from.contains("<noreply@coffeechat.example>"), "{}", to_seeker.mail_from);
    let invitation_row = queued.iter().find(|row| row.recipient_email.as_str() == "sam@example.org").unwrap();
    let ics = invitation_row.calendar.clone().unwrap().ics;

    let message = MessageParser::default().parse(&to_seeker.data).unwrap();
    assert_eq!(message.subject(), Some(invitation_row.subject.as_str()));
    let to = message.to().unwrap().first().unwrap();
    assert_eq!((to.name(), to.address()), (Some("Sam Seeker"), Some("sam@example.org")));
    assert_eq!(message.from().unwrap().first().unwrap().address(), Some("noreply@coffeechat.example"));
    assert_eq!(message.header_raw("Auto-Submitted").map(str::trim), Some("auto-generated"));

    let root = message.root_part().content_type().unwrap();
    assert_eq!((root.ctype(), root.subtype()), ("multipart", Some("mixed")));
    let kinds: Vec<(String, String)> = message
        .parts
        .iter()
        .filter_map(|part| part.content_type())
        .map(|kind| (kind.ctype().to_owned(), kind.subtype().unwrap_or_default().to_owned()))
        .collect();
    let expected = [
        ("multipart", "mixed"),
        ("multipart", "alternative"),
        ("text", "plain"),
        ("text", "calendar"),
        ("application", "ics"),
    ];
    assert_eq!(kinds, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));

    // The plain-text part: the seeker's own zone, and their links.
    let text = message.body_text(0).unwrap();
    assert!(text.contains("Priya Raman accepted your request"), "{text}");
    assert!(text.contains("Wed 4 Mar 2026, 22:30–23:00 (America/New_York)"), "{text}");
    assert!(text.contains("https://coffeechat.example/links/"), "{text}");

    // The inline calendar: text/calendar with method=REQUEST, the same bytes as queued.
    let inline = message
        .parts
        .iter()
        .find(|part| {
            part.content_type().is_some_and(|kind| kind.ctype() == "text" && kind.subtype() == Some("calendar"))
        })
        .unwrap();
    assert_eq!(inline.content_type().unwrap().attribute("method"), Some("REQUEST"));
    assert!(inline.attachment_name().is_none(), "inline, not an attachment");
    assert_eq!(inline.text_contents().unwrap().replace("\r\n", "\n"), ics.replace("\r\n", "\n"));
    assert!(ics.contains(&format!("UID:{}", interview.ical_uid)));

    // The attachment: invite.ics with the same calendar (mail-parser also lists the inline calendar among the
    // non-text parts, so the attachment is found by its name).
    let named: Vec<_> = message.attachments().filter(|part| part.attachment_name() == Some("invite.ics")).collect();
    assert_eq!(named.len(), 1);
    let kind = named[0].content_type().unwrap();
    assert_eq!((kind.ctype(), kind.subtype()), ("application", Some("ics")));
    assert_eq!(String::from_utf8_lossy(named[0].contents()).replace("\r\n", "\n"), ics.replace("\r\n", "\n"));

    // The request notice to the host is a single text/plain part.
    let to_host = received
        .iter()
        .find(|mail| String::from_utf8_lossy(&mail.data).contains("asks you for a conversation"))
        .unwrap();
    let notice = MessageParser::default().parse(&to_host.data).unwrap();
    let kind = notice.root_part().content_type().unwrap();
    assert_eq!((kind.ctype(), kind.subtype()), ("text", Some("plain")));
    assert_eq!(notice.attachment_count(), 0);
}

#[tokio::test]
async fn a_server_that_is_down_leaves_the_mail_queued_for_a_retry() {
    // Bind and drop a listener: nothing listens on that port any more.
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let world = World::new().await;
    world.booked(THU_0900).await;
    let transport =
        mail_transport(&MailDestination::Smtp(format!("smtp://127.0.0.1:{port}")), "noreply@coffeechat.example")
            .unwrap();
    let run = world.services.send_due_mail(transport.as_ref()).await.unwrap();
    assert_eq!((run.sent, run.retrying, run.failed), (0, 3, 0));
    for message in world.outbox().await {
        assert_eq!((message.status, message.attempts), (OutboxStatus::Queued, 1));
        let error = message.last_error.unwrap();
        assert!(error.contains(&format!("SMTP smtp://127.0.0.1:{port}")), "{error}");
    }
}
