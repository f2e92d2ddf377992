/** Inbound mail: parsing (MIME, OpenPGP decryption, flags) and the optional SMTP listener. README.md. */
export {
  DEFAULT_MAX_INBOUND_BYTES,
  MAX_TEXT_CHARS,
  parseInboundMail,
  type AttachmentFlag,
  type InboundAttachment,
  type InboundFlag,
  type InboundMail,
  type ParseInboundOptions,
} from './inbound.parser.js';
export { classifyAttachment } from './attachment-types.js';
export {
  parseSmtpListen,
  startSmtpListener,
  type SmtpEnvelope,
  type SmtpListener,
  type SmtpListenerOptions,
} from './smtp-listener.js';
