import { describe, expect, it } from 'vitest';
import { classifySmtpError, type SmtpFailureKind } from './classify-smtp-error.js';
import { MailError } from './errors.js';

/** An error shaped like nodemailer 10's `_formatError` output: message + `: ` + reply, code, responseCode, command. */
function nodemailerError(message: string, fields: { code?: string; response?: string; command?: string; originalCode?: string }): Error {
  const responseCode = fields.response ? Number(/^\d+/.exec(fields.response)?.[0]) : undefined;
  return Object.assign(new Error(fields.response ? `${message}: ${fields.response}` : message), {
    ...fields,
    ...(responseCode ? { responseCode, permanent: responseCode >= 500 && responseCode !== 503 } : {}),
  });
}

describe('classifySmtpError', () => {
  const cases: Array<[string, unknown, { messageStarted?: boolean }, SmtpFailureKind, number | null, string | null]> = [
    // The server refused the only recipient (smtp-connection _envelopeError).
    ['550 at RCPT TO', nodemailerError("Can't send mail - all recipients were rejected", { code: 'EENVELOPE', response: '550 5.1.1 <x@example.net>: Recipient address rejected', command: 'RCPT TO' }), {}, 'permanent', 550, 'RCPT TO'],
    ['553 at RCPT TO', nodemailerError("Can't send mail - all recipients were rejected", { code: 'EENVELOPE', response: '553 5.1.3 Bad recipient address syntax', command: 'RCPT TO' }), {}, 'permanent', 553, 'RCPT TO'],
    ['451 at RCPT TO (greylisting)', nodemailerError("Can't send mail - all recipients were rejected", { code: 'EENVELOPE', response: '451 4.7.1 Greylisted, try again later', command: 'RCPT TO' }), {}, 'transient', 451, 'RCPT TO'],
    ['452 at RCPT TO (mailbox full)', nodemailerError("Can't send mail - all recipients were rejected", { code: 'EENVELOPE', response: '452 4.2.2 Mailbox full', command: 'RCPT TO' }), {}, 'transient', 452, 'RCPT TO'],
    ['503 at RCPT TO (bad sequence)', nodemailerError("Can't send mail - all recipients were rejected", { code: 'EENVELOPE', response: '503 5.5.1 Error: need MAIL command', command: 'RCPT TO' }), {}, 'transient', 503, 'RCPT TO'],
    ['550 at MAIL FROM', nodemailerError('Mail command failed', { code: 'EENVELOPE', response: '550 5.7.1 Sender rejected', command: 'MAIL FROM' }), {}, 'permanent', 550, 'MAIL FROM'],
    ['421 at MAIL FROM', nodemailerError('Mail command failed', { code: 'EENVELOPE', response: '421 4.3.2 Service shutting down', command: 'MAIL FROM' }), {}, 'transient', 421, 'MAIL FROM'],
    ['554 to the DATA command', nodemailerError('Data command failed', { code: 'EENVELOPE', response: '554 5.5.1 No valid recipients', command: 'DATA' }), {}, 'permanent', 554, 'DATA'],
    // The server answered the end of the message (smtp-connection _actionSMTPStream).
    ['451 at the end of DATA', nodemailerError('Message failed', { code: 'EMESSAGE', response: '451 4.3.0 Temporary failure, try again', command: 'DATA' }), { messageStarted: true }, 'transient', 451, 'DATA'],
    ['421 at the end of DATA', nodemailerError('Message failed', { code: 'EMESSAGE', response: '421 4.4.2 Timeout exceeded', command: 'DATA' }), { messageStarted: true }, 'transient', 421, 'DATA'],
    ['554 content rejected at the end of DATA', nodemailerError('Message failed', { code: 'EMESSAGE', response: '554 5.7.1 Message rejected as spam', command: 'DATA' }), { messageStarted: true }, 'permanent', 554, 'DATA'],
    ['552 too big at the end of DATA', nodemailerError('Message failed', { code: 'EMESSAGE', response: '552 5.3.4 Message size exceeds fixed limit', command: 'DATA' }), { messageStarted: true }, 'permanent', 552, 'DATA'],
    // The connection, before any of the message went out.
    ['connection refused', nodemailerError('connect ECONNREFUSED 127.0.0.1:2525', { code: 'ESOCKET', command: 'CONN', originalCode: 'ECONNREFUSED' }), {}, 'transient', null, 'CONN'],
    ['greeting timeout', nodemailerError('Greeting never received', { code: 'ETIMEDOUT', command: 'CONN' }), {}, 'transient', null, 'CONN'],
    ['connection closed before DATA', nodemailerError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }), { messageStarted: false }, 'transient', null, 'CONN'],
    ['554 greeting, then closed', nodemailerError('Connection closed unexpectedly', { code: 'ECONNECTION', response: '554 5.7.1 Client host blocked', command: 'CONN' }), {}, 'transient', 554, 'CONN'],
    ['login refused', nodemailerError('Invalid login', { code: 'EAUTH', response: '535 5.7.8 Authentication credentials invalid', command: 'AUTH PLAIN' }), {}, 'transient', 535, 'AUTH PLAIN'],
    ['DNS failure', nodemailerError('getaddrinfo ENOTFOUND smtp.example.org', { code: 'EDNS', command: 'CONN' }), {}, 'transient', null, 'CONN'],
    // No command and no reply: nothing says the message went out.
    ['connection error without a command', nodemailerError('Connection closed', { code: 'ECONNECTION' }), {}, 'transient', null, null],
    ['a plain Error', new Error('the mailer closed before it went out'), {}, 'transient', null, null],
    // The connection, while or after the message went out: it may have been delivered.
    ['connection closed during DATA', nodemailerError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }), { messageStarted: true }, 'uncertain', null, 'CONN'],
    ['socket timeout waiting for the final reply', nodemailerError('Timeout', { code: 'ETIMEDOUT', command: 'CONN' }), { messageStarted: true }, 'uncertain', null, 'CONN'],
    ['socket error during DATA', nodemailerError('read ECONNRESET', { code: 'ESOCKET', command: 'CONN', originalCode: 'ECONNRESET' }), { messageStarted: true }, 'uncertain', null, 'CONN'],
    ['socket error with command DATA', nodemailerError('write EPIPE', { code: 'ESOCKET', command: 'DATA' }), {}, 'uncertain', null, 'DATA'],
    // nodemailer refused the message itself, nothing was sent.
    ['no recipients', nodemailerError('No recipients defined', { code: 'EENVELOPE', command: 'API' }), {}, 'permanent', null, 'API'],
    ['too many recipients', nodemailerError('Message has 2 recipients, which is over the 1 allowed by maxRecipients', { code: 'EMAXRECIPIENTS' }), {}, 'permanent', null, null],
    ['something thrown that is not an Error', 'boom', {}, 'transient', null, null],
  ];

  it.each(cases)('classifies %s', (_name, error, context, kind, responseCode, command) => {
    const failure = classifySmtpError(error, context);
    expect(failure).toEqual({ kind, responseCode, command, message: expect.any(String) });
  });

  it('keeps the message, reply included', () => {
    const error = nodemailerError('Message failed', { code: 'EMESSAGE', response: '554 5.7.1 Rejected', command: 'DATA' });
    expect(classifySmtpError(error).message).toBe('Message failed: 554 5.7.1 Rejected');
  });

  it('passes a MailError through as already classified', () => {
    const error = new MailError('recipient is not a single email address', { kind: 'permanent', command: 'API' });
    expect(classifySmtpError(error, { messageStarted: true })).toEqual({ kind: 'permanent', responseCode: null, command: 'API', message: error.message });
  });
});
