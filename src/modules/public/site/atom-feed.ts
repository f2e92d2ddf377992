/**
 * Atom 1.0 feeds (RFC 4287) of published advisories. Ids are URIs that never change: each entry is
 * `urn:uuid:` + the advisory row's UUID, a project's feed the project's, the instance's a `tag:`
 * URI (RFC 4151) of the instance's host. `updated` is an advisory's last publication or change;
 * entries come newest first. Pure.
 */
import { xml, type Markup } from './markup.js';

export interface AtomEntry {
  id: string;
  title: string;
  /** ISO 8601. */
  updated: string;
  published: string;
  /** The advisory's public page. */
  url: string;
  /** Its OSV record. */
  osvUrl: string;
  summary: string;
  /** `critical (CVSS 9.8)`, or null. */
  severity: { term: string; label: string } | null;
  /** The project's name, as the entry's author. */
  author: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle: string;
  /** ISO 8601: the newest entry's `updated`, or a fixed instant when there is none. */
  updated: string;
  selfUrl: string;
  /** The HTML page the feed lists. */
  pageUrl: string;
  author: string;
  entries: AtomEntry[];
}

/** RFC 3339 as Atom wants it: seconds, `Z`. */
const rfc3339 = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

function entry(e: AtomEntry): Markup {
  return xml`  <entry>
    <id>${e.id}</id>
    <title type="text">${e.title}</title>
    <updated>${rfc3339(e.updated)}</updated>
    <published>${rfc3339(e.published)}</published>
    <author><name>${e.author}</name></author>
    <link rel="alternate" type="text/html" href="${e.url}"/>
    <link rel="alternate" type="application/json" href="${e.osvUrl}"/>
${e.severity ? xml`    <category term="${e.severity.term}" label="${e.severity.label}"/>\n` : ''}    <summary type="text">${e.summary}</summary>
  </entry>
`;
}

/** The feed document, UTF-8 XML. */
export function renderAtom(feed: AtomFeed): string {
  return xml`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${feed.id}</id>
  <title type="text">${feed.title}</title>
  <subtitle type="text">${feed.subtitle}</subtitle>
  <updated>${rfc3339(feed.updated)}</updated>
  <author><name>${feed.author}</name></author>
  <link rel="self" type="application/atom+xml" href="${feed.selfUrl}"/>
  <link rel="alternate" type="text/html" href="${feed.pageUrl}"/>
  <generator>Vigil</generator>
${feed.entries.map(entry)}</feed>
`.value;
}

/**
 * The instance feed's id: a tag URI of the public URL's host (a DNS name or address; `localhost`
 * when the host cannot be one), dated with the year Vigil's feeds began.
 */
export function instanceFeedId(publicUrl: string): string {
  let host = 'localhost';
  try {
    const h = new URL(publicUrl).hostname.toLowerCase();
    if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(h)) host = h;
  } catch {
    // A malformed public URL keeps the fallback; the configuration refuses one anyway.
  }
  return `tag:${host},2026:vigil/advisories`;
}
