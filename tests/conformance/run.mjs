// Conformance checks of a running Hypermedia server against two independent
// consumers: jsonld.js (the reference JSON-LD processor) and Alcaeus (a Hydra
// client). Usage: node tests/conformance/run.mjs <baseUrl> <token>
//
// Only the entry point URL is built by hand; every other resource is reached by
// following links found in earlier responses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonld from 'jsonld';
import rdf from '@zazuko/env-node';
import Environment from '@zazuko/env/Environment.js';
import alcaeus from 'alcaeus';

const [baseArg, token] = process.argv.slice(2);
if (!baseArg || !token) {
  console.error('usage: node tests/conformance/run.mjs <baseUrl> <token>');
  process.exit(2);
}
const baseUrl = baseArg.replace(/\/+$/, '');
const entryPointUrl = `${baseUrl}/`;

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const VOCAB = 'https://hypermedia.dev/vocab#';
const SCHEMA = 'https://schema.org/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const API_DOC_REL = `${HYDRA}apiDocumentation`;
const CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';

// ---------------------------------------------------------------- HTTP helpers

/** Parses an HTTP Link header into [{ url, rel }] (url left as written). */
function parseLinks(header) {
  if (!header) return [];
  const links = [];
  // Split on commas that start a new "<...>" link value.
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = part.match(/^\s*<([^>]*)>(.*)$/s);
    if (!m) continue;
    const relMatch = m[2].match(/;\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i);
    const rels = relMatch ? (relMatch[1] ?? relMatch[2]).split(/\s+/) : [];
    for (const rel of rels) links.push({ url: m[1], rel });
  }
  return links;
}

/**
 * Performs an authenticated request and returns the parsed body together with
 * the URL it was retrieved from (the base for relative IRIs).
 */
async function call(url, { method = 'GET', body, auth = true, accept = 'application/ld+json' } = {}) {
  const headers = {};
  if (accept) headers.accept = accept;
  if (auth) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/ld+json';
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { url: res.url || url, status: res.status, headers: res.headers, text, json, method };
}

function describeResponse(r) {
  return `${r.method} ${r.url} -> ${r.status}: ${r.text.slice(0, 500)}`;
}

/** Resolves a (possibly relative) IRI reference found in a document. */
function resolve(ref, base) {
  return new URL(ref, base).href;
}

// ---------------------------------------------------------- document loader

const contextCache = new Map();
const contextUrlsSeen = new Set();

/**
 * jsonld.js document loader: fetches context documents from the server (no
 * credentials: contexts are public) and checks how they are served.
 */
async function documentLoader(url, options) {
  const absolute = resolve(url, options?.base ?? baseUrl);
  if (!contextCache.has(absolute)) {
    contextCache.set(absolute, (async () => {
      const res = await fetch(absolute, { headers: { accept: 'application/ld+json' } });
      const text = await res.text();
      if (res.status !== 200) {
        throw new Error(`context ${absolute} answered ${res.status} without credentials: ${text.slice(0, 300)}`);
      }
      const type = res.headers.get('content-type') ?? '';
      if (!/^application\/ld\+json\b/.test(type)) {
        throw new Error(`context ${absolute} served as '${type}', expected application/ld+json`);
      }
      const document = JSON.parse(text);
      if (!document || typeof document !== 'object' || !('@context' in document)) {
        throw new Error(`context ${absolute} has no top-level @context`);
      }
      contextUrlsSeen.add(absolute);
      return { contextUrl: null, documentUrl: absolute, document };
    })());
  }
  return contextCache.get(absolute);
}

// ----------------------------------------------------- expanded-form helpers

const ABSOLUTE_IRI = /^https?:\/\/[^\s<>"{}|\\^`]+$/;

function isAbsoluteHttpIri(value) {
  if (typeof value !== 'string' || !ABSOLUTE_IRI.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Walks expanded JSON-LD: collects, per node @id, the property IRIs it carries
 * and reports every non-absolute property IRI, @id or @type.
 */
function inspectExpanded(expanded) {
  const propertiesById = new Map();
  const allProperties = new Set();
  const problems = [];

  const visit = (value, where) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${where}[${i}]`));
      return;
    }
    if (!value || typeof value !== 'object') return;
    if ('@value' in value) {
      const type = value['@type'];
      if (type !== undefined && type !== '@json' && !isAbsoluteHttpIri(type)) {
        problems.push(`${where}: literal datatype '${type}' is not an absolute IRI`);
      }
      return; // @json payloads are opaque
    }
    if ('@list' in value) {
      visit(value['@list'], `${where}.@list`);
      return;
    }
    const id = value['@id'];
    if (id !== undefined && !id.startsWith('_:') && !isAbsoluteHttpIri(id)) {
      problems.push(`${where}: @id '${id}' is not an absolute IRI`);
    }
    for (const type of value['@type'] ?? []) {
      if (!isAbsoluteHttpIri(type)) problems.push(`${where}: @type '${type}' is not an absolute IRI`);
    }
    const props = id === undefined ? null : propertiesById.get(id) ?? new Set();
    if (props) propertiesById.set(id, props);
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith('@')) {
        if (key === '@graph' || key === '@included') visit(child, `${where}.${key}`);
        continue;
      }
      if (!isAbsoluteHttpIri(key)) problems.push(`${where}: property '${key}' is not an absolute IRI`);
      allProperties.add(key);
      props?.add(key);
      visit(child, `${where}.<${key}>`);
    }
  };
  visit(expanded, '$');
  return { propertiesById, allProperties, problems };
}

// ------------------------------------------- compact-form key coverage check

const termInfoCache = new Map();

/**
 * Finds out what a key of a compact document means under an active context
 * chain by expanding a small probe document with that one key.
 * Returns { kind: 'property', iri, json, link } | { kind: '@id' | '@type' } | { kind: 'dropped' }.
 */
async function termInfo(contextChain, key, base) {
  const cacheKey = JSON.stringify([contextChain, key]);
  if (termInfoCache.has(cacheKey)) return termInfoCache.get(cacheKey);
  const probeSubject = 'urn:conformance:probe-type';
  const probeValue = 'urn:conformance:probe-value';
  const probe = { '@context': contextChain, '@type': probeSubject, [key]: probeValue };
  const [node] = await jsonld.expand(probe, { base, documentLoader });
  let info;
  if (!node) {
    info = { kind: 'dropped' };
  } else if (node['@id'] === probeValue) {
    info = { kind: '@id' };
  } else if ((node['@type'] ?? []).includes(probeValue)) {
    info = { kind: '@type' };
  } else {
    const props = Object.keys(node).filter((k) => !k.startsWith('@'));
    if (props.length !== 1) {
      info = { kind: 'dropped' };
    } else {
      const [iri] = props;
      const [first] = node[iri];
      info = {
        kind: 'property',
        iri,
        json: first?.['@type'] === '@json',
        link: first !== undefined && '@id' in first,
      };
    }
  }
  termInfoCache.set(cacheKey, info);
  return info;
}

const typeInfoCache = new Map();

/**
 * Expands a compact @type value under a context chain WITHOUT a document
 * base: a type that the context does not define would otherwise silently
 * resolve against the document URL (e.g. "Foo" -> http://host/path/Foo).
 */
async function expandTypeWithoutBase(contextChain, type) {
  const cacheKey = JSON.stringify([contextChain, type]);
  if (!typeInfoCache.has(cacheKey)) {
    const probe = { '@context': contextChain, '@id': 'urn:conformance:probe', '@type': type, 'urn:conformance:p': 'x' };
    const [node] = await jsonld.expand(probe, { base: null, documentLoader });
    typeInfoCache.set(cacheKey, node?.['@type']?.[0]);
  }
  return typeInfoCache.get(cacheKey);
}

/**
 * Walks a compact document the way a JSON-LD processor would (embedded objects
 * add their own @context on top of the enclosing one) and checks that every
 * key with a non-null value maps to an absolute property IRI (or a keyword
 * alias), and that this IRI is present on the same node of the expanded form.
 */
async function checkNoDroppedKeys(doc, base, expandedInfo) {
  const problems = [];

  const visit = async (value, chain, where) => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) await visit(value[i], chain, `${where}[${i}]`);
      return;
    }
    if (!value || typeof value !== 'object') return;
    let local = chain;
    if ('@context' in value) {
      const ctx = value['@context'];
      const entries = ctx === null ? [] : Array.isArray(ctx) ? ctx : [ctx];
      const resolved = entries.map((c) => (typeof c === 'string' ? resolve(c, base) : c));
      local = ctx === null ? [] : [...chain, ...resolved];
    }
    // Determine the node's subject, to compare with the expanded form.
    let subject;
    const keys = Object.keys(value).filter((k) => k !== '@context');
    for (const key of keys) {
      if (key === '@id') subject = value[key];
      else if (!key.startsWith('@') && typeof value[key] === 'string') {
        const info = await termInfo(local, key, base);
        if (info.kind === '@id') subject = value[key];
      }
    }
    const subjectIri = typeof subject === 'string' ? resolve(subject, base) : undefined;
    for (const key of keys) {
      const child = value[key];
      const path = `${where}.${key}`;
      if (key.startsWith('@')) {
        if (key === '@type') {
          for (const type of Array.isArray(child) ? child : [child]) {
            const iri = await expandTypeWithoutBase(local, type);
            if (!isAbsoluteHttpIri(iri)) {
              problems.push(`${path}: @type '${type}' is not defined by the active context [${local.map((c) => (typeof c === 'string' ? c : 'inline')).join(', ')}] (expands to '${iri}' without a base)`);
            }
          }
          continue;
        }
        if (key === '@id') continue; // checked on the expanded form
        problems.push(`${path}: unexpected keyword in a compact document`);
        continue;
      }
      if (child === null) continue; // nulls are legitimately dropped
      const info = await termInfo(local, key, base);
      if (info.kind === 'dropped') {
        problems.push(`${path}: key '${key}' is not defined by the active context [${local.map((c) => (typeof c === 'string' ? c : 'inline')).join(', ')}] and is DROPPED by expansion`);
        continue;
      }
      if (info.kind !== 'property') continue; // keyword alias (id -> @id, ...)
      if (!isAbsoluteHttpIri(info.iri)) {
        problems.push(`${path}: key '${key}' expands to '${info.iri}', not an absolute http(s) IRI`);
        continue;
      }
      const present = subjectIri !== undefined
        ? expandedInfo.propertiesById.get(subjectIri)?.has(info.iri)
        : expandedInfo.allProperties.has(info.iri);
      if (!present) {
        problems.push(`${path}: key '${key}' (<${info.iri}>) is missing from the expanded output${subjectIri ? ` of node <${subjectIri}>` : ''}`);
      }
      // A value that looks like a server path must be an IRI reference, not a
      // plain string: a link that expands to a literal cannot be followed.
      // URI templates (containing '{') are literals by nature, and so are the
      // vocab:route annotations of the API documentation (route patterns).
      if (!info.json && !info.link && info.iri !== `${VOCAB}route`) {
        const strings = (Array.isArray(child) ? child : [child]).filter((s) => typeof s === 'string');
        for (const s of strings) {
          if (s.startsWith('/') && !s.includes('{')) {
            problems.push(`${path}: value '${s}' looks like a link but '${key}' (<${info.iri}>) is not @id-typed, so it expands to a string literal`);
          }
        }
      }
      if (info.json) continue; // opaque JSON literal (settings, data, errors)
      await visit(child, local, path);
    }
  };

  await visit(doc, [], '$');
  return problems;
}

// --------------------------------------------------------- the full check

/**
 * Runs every JSON-LD check on one response:
 *  - HTTP status, media type and the hydra:apiDocumentation Link header;
 *  - jsonld.js expansion in safe mode (throws on dropped terms / relative IRIs)
 *    with base = the document URL and contexts fetched from the server;
 *  - RDF conversion in safe mode (throws on relative subject/predicate/object);
 *  - every key of the compact form survives expansion as an absolute IRI;
 *  - every @type expands to an absolute IRI and the root has the expected type.
 */
async function checkJsonLd(r, { status = 200, type, mediaType = 'application/ld+json', expandContext } = {}) {
  assert.equal(r.status, status, `unexpected status: ${describeResponse(r)}`);
  const contentType = r.headers.get('content-type') ?? '';
  assert.ok(contentType.startsWith(mediaType), `${r.url}: Content-Type '${contentType}', expected ${mediaType}`);
  checkApiDocumentationLink(r);
  const doc = r.json;
  assert.ok(doc && typeof doc === 'object' && !Array.isArray(doc), `${r.url}: body is not a JSON object`);
  assert.equal(typeof doc['@context'], 'string', `${r.url}: @context should be a context IRI string`);
  assert.ok(doc['@type'], `${r.url}: no @type`);

  const options = { base: r.url, documentLoader, safe: true };
  if (expandContext) options.expandContext = expandContext;
  let expanded;
  try {
    expanded = await jsonld.expand(doc, options);
  } catch (e) {
    const ev = e?.details?.event;
    assert.fail(`${r.url}: jsonld.js safe-mode expansion failed: ${e.message}${ev ? ` [${ev.code}] ${ev.message} ${JSON.stringify(ev.details ?? {}).slice(0, 400)}` : ''}`);
  }
  assert.equal(expanded.length, 1, `${r.url}: expected exactly one top-level node, got ${expanded.length}`);

  try {
    const nquads = await jsonld.toRDF(doc, { ...options, format: 'application/n-quads' });
    assert.ok(nquads.length > 0, `${r.url}: no triples`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    const ev = e?.details?.event;
    assert.fail(`${r.url}: jsonld.js safe-mode toRDF failed: ${e.message}${ev ? ` [${ev.code}] ${ev.message}` : ''}`);
  }

  const info = inspectExpanded(expanded);
  assert.deepEqual(info.problems, [], `${r.url}: non-absolute IRIs in expanded form`);
  const dropped = await checkNoDroppedKeys(doc, r.url, info);
  assert.deepEqual(dropped, [], `${r.url}: keys lost or mistyped by expansion`);

  const [root] = expanded;
  const rootId = doc.id ?? doc['@id'];
  if (rootId !== undefined) assert.equal(root['@id'], resolve(rootId, r.url), `${r.url}: root @id`);
  if (type) assert.ok(root['@type']?.includes(type), `${r.url}: root @type ${JSON.stringify(root['@type'])} lacks <${type}>`);
  return { doc, expanded: root };
}

function checkApiDocumentationLink(r) {
  const links = parseLinks(r.headers.get('link'));
  const apiDocs = links.filter((l) => l.rel === API_DOC_REL);
  assert.equal(apiDocs.length, 1, `${r.method} ${r.url}: expected one Link rel="${API_DOC_REL}", got header '${r.headers.get('link')}'`);
  assert.equal(resolve(apiDocs[0].url, r.url), `${baseUrl}/api_documentation`, `${r.url}: apiDocumentation link target`);
  return resolve(apiDocs[0].url, r.url);
}

// ------------------------------------------------- discovery (by following links)

const memo = (fn) => {
  let p;
  return () => (p ??= fn());
};

/** Fetches a document and asserts success, for use while discovering. */
async function follow(ref, base, init) {
  assert.ok(typeof ref === 'string' && ref.length > 0, `no link to follow (got ${JSON.stringify(ref)}) from ${base}`);
  const r = await call(resolve(ref, base), init);
  assert.ok(r.status >= 200 && r.status < 300, `following a link failed: ${describeResponse(r)}`);
  assert.ok(r.json, `not JSON: ${describeResponse(r)}`);
  return r;
}

const entryPoint = memo(() => follow(entryPointUrl, entryPointUrl));
const accountsCollection = memo(async () => {
  const ep = await entryPoint();
  return follow(ep.json.accounts, ep.url);
});
const account = memo(async () => {
  const col = await accountsCollection();
  const members = col.json.members ?? [];
  const member = members.find((m) => m.slug === 'demo') ?? members[0];
  assert.ok(member, `no account in ${col.url}`);
  return follow(member.id, col.url);
});
const me = memo(async () => {
  const ep = await entryPoint();
  return follow(ep.json.me, ep.url);
});
const usersCollection = memo(async () => {
  const ep = await entryPoint();
  return follow(ep.json.users, ep.url);
});
const membership = memo(async () => {
  const user = await me();
  const [member] = user.json.memberships?.members ?? [];
  assert.ok(member, `no embedded membership in ${user.url}`);
  return follow(member.id, user.url);
});
const membershipsCollection = memo(async () => {
  const user = await me();
  return follow(user.json.memberships.id, user.url);
});
const createdApiToken = memo(async () => {
  const user = await me();
  return follow(user.json.apiTokens, user.url, { method: 'POST', body: { description: 'conformance run' } });
});
const apiToken = memo(async () => {
  const created = await createdApiToken();
  return follow(created.json.id, created.url);
});
const apiTokensCollection = memo(async () => {
  await createdApiToken();
  const user = await me();
  return follow(user.json.apiTokens, user.url);
});
/** Creates a user in the demo account, as an admin would; the answer alone carries the invitation. */
async function createInvitedUser(label) {
  const ep = await entryPoint();
  const acc = await account();
  return follow(ep.json.users, ep.url, {
    method: 'POST',
    body: {
      name: `Invited ${label}`,
      email: `invited-${label}-${Date.now()}@conformance.example`,
      memberships: [{ account: acc.json.id, role: 'user' }],
    },
  });
}
const createdInvitedUser = memo(() => createInvitedUser('claim'));
const claimedInvitation = memo(async () => {
  const user = await createdInvitedUser();
  return follow(user.json.invitation, user.url, { method: 'POST', auth: false });
});
const reissuedInvitation = memo(async () => {
  const user = await createInvitedUser('reissue');
  return follow(user.json.invitations, user.url, { method: 'POST' });
});
const createdContact = memo(async () => {
  const acc = await account();
  return follow(acc.json.contacts, acc.url, {
    method: 'POST',
    body: {
      name: 'Ada Lovelace',
      phones: [{ number: '(303) 555-0101', type: 'Mobile' }],
      data: { businessName: 'Analytical', tags: ['a'] },
    },
  });
});
const contact = memo(async () => {
  const created = await createdContact();
  return follow(created.json.id, created.url);
});
const contactPhone = memo(async () => {
  const c = await contact();
  const [phone] = c.json.phones?.members ?? [];
  assert.ok(phone, `no embedded phone in ${c.url}`);
  return follow(phone.id, c.url);
});
const contactPhonesCollection = memo(async () => {
  await createdContact();
  const acc = await account();
  return follow(acc.json.contactPhones, acc.url);
});
const contactPhonesOfContact = memo(async () => {
  const c = await contact();
  return follow(c.json.phones.id, c.url);
});
const createdNote = memo(async () => {
  const c = await contact();
  return follow(c.json.notes, c.url, { method: 'POST', body: { content: 'hi from the conformance run' } });
});
const note = memo(async () => {
  const created = await createdNote();
  return follow(created.json.id, created.url);
});
const notesCollection = memo(async () => {
  await createdNote();
  const c = await contact();
  return follow(c.json.notes, c.url);
});
const contactFiltersCollection = memo(async () => {
  const acc = await account();
  return follow(acc.json.contactFilters, acc.url);
});
const contactFilter = memo(async () => {
  const col = await contactFiltersCollection();
  const members = col.json.members ?? [];
  const member = members.find((m) => m.slug === 'all') ?? members[0];
  assert.ok(member, `no contact filter in ${col.url}`);
  return follow(member.id, col.url);
});
const filterContacts = memo(async () => {
  await createdContact();
  const filter = await contactFilter();
  return follow(filter.json.contacts, filter.url);
});
// A fictional number (555-01xx), varied so a rerun against the same server
// still creates a new opt-out.
const optOutNumber = `+130355501${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`;
const createdOptOut = memo(async () => {
  const acc = await account();
  // The opt-out resource is addressed by phone number under the account's
  // optOuts collection (PUT <optOuts>/<E.164 number>).
  const optOutsUrl = resolve(acc.json.optOuts, acc.url);
  return follow(`${optOutsUrl}/${optOutNumber}`, acc.url, { method: 'PUT' });
});
const optOut = memo(async () => {
  const created = await createdOptOut();
  return follow(created.json.id, created.url);
});
const optOutsCollection = memo(async () => {
  await createdOptOut();
  const acc = await account();
  return follow(acc.json.optOuts, acc.url);
});
const optOutHistory = memo(async () => {
  const o = await optOut();
  return follow(o.json.history, o.url);
});
const createdMessage = memo(async () => {
  const acc = await account();
  return follow(acc.json.messages, acc.url, { method: 'POST', body: { to: '+13035550123', body: 'Hello from the conformance run' } });
});
const message = memo(async () => {
  const created = await createdMessage();
  return follow(created.json.id, created.url);
});
const messageAttachments = memo(async () => {
  const m = await message();
  return follow(m.json.attachments, m.url);
});
/** A 1x1 PNG uploaded to the demo account (multipart), as a client without a public URL does. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const uploadedAttachment = memo(async () => {
  const acc = await account();
  const url = resolve(acc.json.attachments, acc.url);
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'conformance.png');
  const res = await fetch(url, { method: 'POST', headers: { accept: 'application/ld+json', authorization: `Bearer ${token}` }, body: form });
  const text = await res.text();
  return { url: res.url || url, status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined, method: 'POST' };
});
const attachment = memo(async () => {
  const created = await uploadedAttachment();
  assert.equal(created.status, 201, describeResponse(created));
  return follow(created.json.id, created.url);
});
const createdSavedReply = memo(async () => {
  const file = await attachment();
  const user = await me();
  return follow(user.json.savedReplies, user.url, {
    method: 'POST',
    body: { saved_reply: { title: 'Conformance reply', content: 'Hi {{contact.firstName | default: "there"}}', attachments: [file.json.id] } },
  });
});
const savedReply = memo(async () => {
  const created = await createdSavedReply();
  return follow(created.json.id, created.url);
});
const savedRepliesCollection = memo(async () => {
  await createdSavedReply();
  const user = await me();
  return follow(user.json.savedReplies, user.url);
});
const savedReplyAttachments = memo(async () => {
  const reply = await savedReply();
  return follow(reply.json.attachments.id, reply.url);
});
/** The demo admin's signature: created once (a rerun against the same server finds it and changes it). */
const signature = memo(async () => {
  const user = await me();
  const created = await call(resolve(user.json.signature, user.url), { method: 'POST', body: { content: 'The conformance run' } });
  if (created.status === 409) {
    return follow(user.json.signature, user.url, { method: 'PUT', body: { content: 'The conformance run' } });
  }
  assert.equal(created.status, 201, describeResponse(created));
  return follow(created.json.id, created.url);
});
const contactSchema = memo(async () => {
  const acc = await account();
  return follow(acc.json.contactSchema, acc.url);
});
const userSchema = memo(async () => {
  const acc = await account();
  return follow(acc.json.userSchema, acc.url);
});
/** A field of the demo account's contact schema, made for this run (slug varied so reruns create one). */
const createdCustomField = memo(async () => {
  const acc = await account();
  return follow(acc.json.contactSchema, acc.url, {
    method: 'POST',
    body: { type: 'text', title: 'Conformance field', slug: `conformance_${Date.now()}` },
  });
});
const customField = memo(async () => {
  const created = await createdCustomField();
  return follow(created.json.id, created.url);
});
const createdBulkSend = memo(async () => {
  const acc = await account();
  return follow(acc.json.messages, acc.url, { method: 'POST', body: { to: ['+13035550131', '+13035550132'], body: 'Hello to both' } });
});
const bulkSend = memo(async () => {
  const created = await createdBulkSend();
  return follow(created.json.id, created.url);
});
const bulkSendRecipients = memo(async () => {
  const b = await bulkSend();
  return follow(b.json.recipients, b.url);
});
const conversationsCollection = memo(async () => {
  const acc = await account();
  return follow(acc.json.conversations, acc.url);
});
/** The demo account's newest conversation (run.sh plays a contact texting it, so there is one). */
const conversation = memo(async () => {
  const col = await conversationsCollection();
  const [member] = col.json.members ?? [];
  assert.ok(member, `no conversation in ${col.url}: run.sh plays a contact texting the demo account first`);
  return follow(member.id, col.url);
});
const conversationUserInfo = memo(async () => {
  const c = await conversation();
  return follow(c.json.requestingUserInfo.id, c.url);
});
const timeline = memo(async () => {
  const c = await conversation();
  return follow(c.json.timeline, c.url);
});
const createdAssignment = memo(async () => {
  const c = await conversation();
  const user = await me();
  return follow(c.json.assignments, c.url, { method: 'POST', body: { assignee: user.json.id } });
});
const assignmentsCollection = memo(async () => {
  await createdAssignment();
  const c = await conversation();
  return follow(c.json.assignments, c.url);
});
const whatsAppTemplatesCollection = memo(async () => {
  const acc = await account();
  return follow(acc.json.whatsAppTemplates, acc.url);
});
/** The demo's approved template (the seed example's appointment_reminder), found in the account's list by status. */
const whatsAppTemplate = memo(async () => {
  const acc = await account();
  const approved = await follow(`${resolve(acc.json.whatsAppTemplates, acc.url)}?status[]=approved`, acc.url);
  const [member] = approved.json.members ?? [];
  assert.ok(member, `no approved WhatsApp template in ${approved.url}: the demo seed has appointment_reminder`);
  return follow(member.id, approved.url);
});
// A title unique per run, so a rerun against the same server still creates one.
const createdWhatsAppTemplate = memo(async () => {
  const acc = await account();
  return follow(acc.json.whatsAppTemplates, acc.url, {
    method: 'POST',
    body: {
      title: `conformance_${Date.now()}`,
      language: 'en_US',
      content_type: 'quick_reply',
      content: { body: 'Hi {{contact.firstName | default: "there"}}, see you on {{appt_date}}', quick_replies: [{ id: 'ok', title: 'OK' }] },
      variables: [
        { name: 'contact.firstName', type: 'personalization_variable', fallback: 'there' },
        { name: 'appt_date', type: 'text', example: '1/1' },
      ],
    },
  });
});
const staffWhatsAppTemplates = memo(async () => {
  const ep = await entryPoint();
  return follow(ep.json.whatsAppTemplates, ep.url);
});
/**
 * The seed example's template send from the demo account (channel whatsapp, the template by its bare slug as
 * TextUs clients send it): the 201 and the Message read back, whatsAppTemplate embedded with its own @context.
 */
const createdWhatsAppMessage = memo(async () => {
  const acc = await account();
  const template = await whatsAppTemplate();
  return follow(acc.json.messages, acc.url, {
    method: 'POST',
    body: { to: '+13035551234', channel: 'whatsapp', template: { id: template.json.slug, variable_values: { appt_date: '1/1', appt_time: '12:00' } } },
  });
});
const messageWithWhatsAppTemplate = memo(async () => {
  const created = await createdWhatsAppMessage();
  return follow(created.json.id, created.url);
});
/** The same template to two numbers: a WhatsApp BulkSend, which links its template. */
const createdWhatsAppBulkSend = memo(async () => {
  const acc = await account();
  const template = await whatsAppTemplate();
  return follow(acc.json.messages, acc.url, {
    method: 'POST',
    body: { to: ['+13035551235', '+13035551236'], channel: 'whatsapp', template: { id: template.json.id, variable_values: { appt_date: '1/1', appt_time: '12:00' } } },
  });
});
const apiDocumentation = memo(async () => {
  const ep = await entryPoint();
  return follow(ep.json.apiDocumentation, ep.url);
});
/** A resource that cannot exist, under a collection reached by links. */
async function notFound(accept) {
  const col = await accountsCollection();
  return call(`${col.url}/does-not-exist-conformance`, { accept });
}

// ------------------------------------------------------------------- tests

const T = (name) => `${VOCAB}${name}`;

test('JSON-LD: EntryPoint', async () => {
  const { doc } = await checkJsonLd(await entryPoint(), { type: T('EntryPoint') });
  for (const key of ['accounts', 'me', 'users', 'apiDocumentation']) assert.ok(doc[key], `EntryPoint lacks ${key}`);
});

test('JSON-LD: Account collection (hydra:Collection)', async () => {
  const { expanded } = await checkJsonLd(await accountsCollection(), { type: `${HYDRA}Collection` });
  assert.ok(expanded[`${HYDRA}member`]?.length >= 1, 'collection has no hydra:member');
  assert.ok(expanded[`${HYDRA}totalItems`], 'collection has no hydra:totalItems');
  assert.ok(expanded[`${HYDRA}view`], 'collection has no hydra:view');
});

test('JSON-LD: Account', async () => {
  const { expanded } = await checkJsonLd(await account(), { type: T('Account') });
  assert.equal(expanded[T('settings')]?.[0]?.['@type'], '@json', 'settings should be a JSON literal');
});

test('JSON-LD: User with embedded memberships', async () => {
  const { expanded } = await checkJsonLd(await me(), { type: T('User') });
  const memberships = expanded[T('memberships')]?.[0];
  assert.ok(memberships?.['@type']?.includes(`${HYDRA}Collection`), 'memberships should be an embedded hydra:Collection');
  assert.ok(memberships[`${HYDRA}member`]?.[0]?.['@type']?.includes(T('Membership')), 'embedded member should be a Membership');
});

test('JSON-LD: User collection', async () => {
  await checkJsonLd(await usersCollection(), { type: `${HYDRA}Collection` });
});

test('JSON-LD: Membership', async () => {
  await checkJsonLd(await membership(), { type: T('Membership') });
});

test('JSON-LD: Membership collection', async () => {
  await checkJsonLd(await membershipsCollection(), { type: `${HYDRA}Collection` });
});

test('JSON-LD: ApiToken create response (with token)', async () => {
  const r = await createdApiToken();
  const { expanded } = await checkJsonLd(r, { status: 201, type: T('ApiToken') });
  assert.match(expanded[T('token')]?.[0]?.['@value'] ?? '', /^hm_/, 'created token should carry vocab:token');
});

test('JSON-LD: ApiToken', async () => {
  await checkJsonLd(await apiToken(), { type: T('ApiToken') });
});

test('JSON-LD: ApiToken collection', async () => {
  await checkJsonLd(await apiTokensCollection(), { type: `${HYDRA}Collection` });
});

test('JSON-LD: User create response (with invitation)', async () => {
  const { expanded } = await checkJsonLd(await createdInvitedUser(), { status: 201, type: T('User') });
  assert.match(expanded[T('invitation')]?.[0]?.['@id'] ?? '', /\/invitations\/hmi_/, 'created user should carry vocab:invitation as an IRI');
});

test('JSON-LD: ApiToken claimed with an invitation (no credentials)', async () => {
  const { expanded } = await checkJsonLd(await claimedInvitation(), { status: 201, type: T('ApiToken') });
  assert.match(expanded[T('token')]?.[0]?.['@value'] ?? '', /^hm_/, 'claimed token should carry vocab:token');
});

test('JSON-LD: Invitation', async () => {
  const { expanded } = await checkJsonLd(await reissuedInvitation(), { status: 201, type: T('Invitation') });
  assert.ok(expanded['@id']?.includes('/invitations/hmi_'), 'the invitation id is the IRI to claim');
  assert.equal(expanded['https://schema.org/expires']?.[0]?.['@type'], 'http://www.w3.org/2001/XMLSchema#dateTime', 'expiresAt');
});

test('JSON-LD: Contact create response', async () => {
  await checkJsonLd(await createdContact(), { status: 201, type: T('Contact') });
});

test('JSON-LD: Contact', async () => {
  const { expanded } = await checkJsonLd(await contact(), { type: T('Contact') });
  assert.equal(expanded[T('contactData')]?.[0]?.['@type'], '@json', 'data should be a JSON literal');
  const phones = expanded[T('phones')]?.[0];
  assert.ok(phones?.['@type']?.includes(`${HYDRA}Collection`), 'phones should be an embedded hydra:Collection');
});

test('JSON-LD: ContactPhone', async () => {
  const { expanded } = await checkJsonLd(await contactPhone(), { type: T('ContactPhone') });
  assert.equal(expanded[`${SCHEMA}telephone`]?.[0]?.['@value'], '+13035550101');
});

test('JSON-LD: ContactPhone collection (account)', async () => {
  await checkJsonLd(await contactPhonesCollection(), { type: `${HYDRA}Collection` });
});

test('JSON-LD: ContactPhone collection (contact phones)', async () => {
  await checkJsonLd(await contactPhonesOfContact(), { type: `${HYDRA}Collection` });
});

test('JSON-LD: ContactNote create response', async () => {
  await checkJsonLd(await createdNote(), { status: 201, type: T('ContactNote') });
});

test('JSON-LD: ContactNote', async () => {
  await checkJsonLd(await note(), { type: T('ContactNote') });
});

test('JSON-LD: ContactNote collection', async () => {
  await checkJsonLd(await notesCollection(), { type: `${HYDRA}Collection` });
});

test('JSON-LD: ContactFilter collection', async () => {
  await checkJsonLd(await contactFiltersCollection(), { type: `${HYDRA}Collection` });
});

test('JSON-LD: ContactFilter', async () => {
  await checkJsonLd(await contactFilter(), { type: T('ContactFilter') });
});

test('JSON-LD: contacts of a ContactFilter', async () => {
  const { expanded } = await checkJsonLd(await filterContacts(), { type: `${HYDRA}Collection` });
  assert.ok(expanded[`${HYDRA}member`]?.length >= 1, 'the "all" filter should list the created contact');
});

test('JSON-LD: OptOut create response', async () => {
  await checkJsonLd(await createdOptOut(), { status: 201, type: T('OptOut') });
});

test('JSON-LD: OptOut', async () => {
  const { expanded } = await checkJsonLd(await optOut(), { type: T('OptOut') });
  assert.equal(expanded[`${SCHEMA}telephone`]?.[0]?.['@value'], optOutNumber);
});

test('JSON-LD: OptOut collection', async () => {
  const { expanded } = await checkJsonLd(await optOutsCollection(), { type: `${HYDRA}Collection` });
  assert.ok(expanded[`${HYDRA}member`]?.length >= 1, 'opt-out collection should list the created opt-out');
});

test('JSON-LD: OptOutEvent collection (opt-out history)', async () => {
  const { expanded } = await checkJsonLd(await optOutHistory(), { type: `${HYDRA}Collection` });
  const [event] = expanded[`${HYDRA}member`] ?? [];
  assert.ok(event?.['@type']?.includes(T('OptOutEvent')), 'history should hold an OptOutEvent');
});

test('JSON-LD: Message send response', async () => {
  const { expanded } = await checkJsonLd(await createdMessage(), { status: 201, type: T('Message') });
  assert.equal(expanded[T('deliveryState')]?.[0]?.['@value'], 'queued', 'vocab:deliveryState');
});

test('JSON-LD: Message', async () => {
  const { expanded } = await checkJsonLd(await message(), { type: T('Message') });
  assert.match(expanded[T('conversation')]?.[0]?.['@id'] ?? '', /^https?:\/\/.+\/conversations\//, 'vocab:conversation is an IRI');
});

test('JSON-LD: attachments of a Message', async () => {
  await checkJsonLd(await messageAttachments(), { type: `${HYDRA}Collection` });
});

test('JSON-LD: Attachment upload response', async () => {
  const { expanded } = await checkJsonLd(await uploadedAttachment(), { status: 201, type: T('Attachment') });
  assert.equal(expanded['https://schema.org/encodingFormat']?.[0]?.['@value'], 'image/png', 'schema:encodingFormat');
});

test('JSON-LD: Attachment', async () => {
  const { expanded } = await checkJsonLd(await attachment(), { type: T('Attachment') });
  assert.match(expanded['https://schema.org/contentUrl']?.[0]?.['@id'] ?? '', /^https?:\/\/.+\/media\//, 'schema:contentUrl is an IRI');
});

test('JSON-LD: SavedReply create response, with its SavedReplyAttachment', async () => {
  const { expanded } = await checkJsonLd(await createdSavedReply(), { status: 201, type: T('SavedReply') });
  const file = expanded[T('attachments')]?.[0]?.[`${HYDRA}member`]?.[0];
  assert.ok(file?.['@type']?.includes(T('SavedReplyAttachment')), 'the embedded attachment should be a SavedReplyAttachment');
});

test('JSON-LD: SavedReply', async () => {
  await checkJsonLd(await savedReply(), { type: T('SavedReply') });
});

test('JSON-LD: SavedReply collection', async () => {
  const { expanded } = await checkJsonLd(await savedRepliesCollection(), { type: `${HYDRA}Collection` });
  assert.ok(expanded[`${HYDRA}member`]?.length >= 1, 'the list should hold the reply just made');
});

test('JSON-LD: SavedReplyAttachment collection', async () => {
  const { expanded } = await checkJsonLd(await savedReplyAttachments(), { type: `${HYDRA}Collection` });
  assert.ok(expanded[`${HYDRA}member`]?.[0]?.['@type']?.includes(T('SavedReplyAttachment')), 'a member should be a SavedReplyAttachment');
});

test('JSON-LD: Signature', async () => {
  await checkJsonLd(await signature(), { type: T('Signature') });
});

test('JSON-LD: ContactSchema', async () => {
  await createdCustomField();
  const { expanded } = await checkJsonLd(await contactSchema(), { type: T('ContactSchema') });
  assert.ok(expanded[T('schemaFields')]?.[0]?.[`${HYDRA}member`]?.[0]?.['@type']?.includes(T('CustomField')), 'fields should hold a CustomField');
});

test('JSON-LD: UserSchema', async () => {
  await checkJsonLd(await userSchema(), { type: T('UserSchema') });
});

test('JSON-LD: CustomField create response', async () => {
  await checkJsonLd(await createdCustomField(), { status: 201, type: T('CustomField') });
});

test('JSON-LD: CustomField', async () => {
  await checkJsonLd(await customField(), { type: T('CustomField') });
});

test('JSON-LD: BulkSend accepted response', async () => {
  await checkJsonLd(await createdBulkSend(), { status: 202, type: T('BulkSend') });
});

test('JSON-LD: BulkSend', async () => {
  await checkJsonLd(await bulkSend(), { type: T('BulkSend') });
});

test('JSON-LD: BulkSendRecipient collection', async () => {
  const { expanded } = await checkJsonLd(await bulkSendRecipients(), { type: `${HYDRA}Collection` });
  assert.equal(expanded[`${HYDRA}member`]?.length, 2, 'two recipients');
});

test('JSON-LD: Conversation collection', async () => {
  const { expanded } = await checkJsonLd(await conversationsCollection(), { type: `${HYDRA}Collection` });
  assert.ok(expanded[`${HYDRA}member`]?.length >= 1, 'the demo account should list its conversation');
});

test('JSON-LD: Conversation', async () => {
  const { expanded } = await checkJsonLd(await conversation(), { type: T('Conversation') });
  const info = expanded[T('requestingUserInfo')]?.[0];
  assert.ok(info?.['@type']?.includes(T('ConversationUserInfo')), 'requestingUserInfo should be an embedded ConversationUserInfo');
  const latest = expanded[T('latestPreviewableItem')]?.[0];
  assert.ok(latest?.['@type']?.includes(T('Message')), 'latestPreviewableItem should be an embedded Message');
  assert.ok(expanded[T('timeline')]?.[0]?.['@id'], 'timeline should be an IRI');
  assert.ok(expanded[T('closeConversation')]?.[0]?.['@id'], 'an open conversation offers closeConversation as an IRI');
  assert.equal(expanded[T('reopenConversation')], undefined, 'reopenConversation is null while open');
});

test('JSON-LD: ConversationUserInfo', async () => {
  const { expanded } = await checkJsonLd(await conversationUserInfo(), { type: T('ConversationUserInfo') });
  assert.equal(typeof expanded[T('read')]?.[0]?.['@value'], 'boolean', 'read');
});

test('JSON-LD: Timeline', async () => {
  const { expanded } = await checkJsonLd(await timeline(), { type: T('Timeline') });
  const [message] = expanded[`${HYDRA}member`] ?? [];
  assert.ok(message?.['@type']?.includes(T('Message')), 'the timeline should hold Messages');
  assert.ok(expanded[`${HYDRA}totalItems`], 'timeline has no hydra:totalItems');
  assert.ok(expanded[`${HYDRA}view`], 'timeline has no hydra:view');
  assert.equal(expanded[T('latestPosition')]?.[0]?.['@type'], 'http://www.w3.org/2001/XMLSchema#dateTime', 'latestPosition');
});

test('JSON-LD: ConversationAssignment create response', async () => {
  const { expanded } = await checkJsonLd(await createdAssignment(), { type: T('ConversationAssignment') });
  const assignee = expanded[T('assignee')]?.[0];
  assert.ok(assignee?.['@type']?.includes(T('User')), 'assignee should be an embedded User');
  assert.ok(expanded[T('assigner')]?.[0]?.['@id'], 'assigner should be an IRI');
});

test('JSON-LD: ConversationAssignment', async () => {
  const created = await createdAssignment();
  await checkJsonLd(await follow(created.json.id, created.url), { type: T('ConversationAssignment') });
});

test('JSON-LD: ConversationAssignment collection', async () => {
  const { expanded } = await checkJsonLd(await assignmentsCollection(), { type: `${HYDRA}Collection` });
  assert.ok(expanded[`${HYDRA}member`]?.length >= 1, 'the assignment should be listed');
});

const WHATSAPP_TEMPLATE = `${VOCAB}WhatsApp::Template`;

test('JSON-LD: WhatsApp::Template collection (hydra:Collection)', async () => {
  const { expanded } = await checkJsonLd(await whatsAppTemplatesCollection(), { type: `${HYDRA}Collection` });
  const members = expanded[`${HYDRA}member`] ?? [];
  assert.ok(members.length >= 2, 'the demo account should list its two templates');
  assert.ok(members.every((m) => m['@type']?.includes(WHATSAPP_TEMPLATE)), `members should all be <${WHATSAPP_TEMPLATE}>`);
});

test('JSON-LD: WhatsApp::Template (the "::" type expands into the vocabulary, not as a compact IRI)', async () => {
  const r = await whatsAppTemplate();
  assert.equal(r.json['@type'], 'WhatsApp::Template');
  assert.equal(r.json['@context'], '/contexts/WhatsApp::Template.jsonld');
  const { expanded } = await checkJsonLd(r, { type: WHATSAPP_TEMPLATE });
  assert.deepEqual(expanded['@type'], [WHATSAPP_TEMPLATE], '@type');
  // Without a base too: a term that only looked like the compact IRI "WhatsApp:" + ":Template" would stay relative.
  const context = resolve(r.json['@context'], r.url);
  assert.equal(await expandTypeWithoutBase([context], 'WhatsApp::Template'), WHATSAPP_TEMPLATE);
  assert.equal(expanded[T('templateContent')]?.[0]?.['@type'], '@json', 'content should be a JSON literal');
  assert.equal(expanded[T('templateVariables')]?.[0]?.['@type'], '@json', 'variables should be a JSON literal');
  assert.equal(expanded[T('slug')]?.[0]?.['@value'], r.json.slug, 'slug');
  assert.match(expanded[T('account')]?.[0]?.['@id'] ?? '', /\/accounts\/demo$/, 'account is an IRI');
  assert.match(expanded[T('reviewTemplate')]?.[0]?.['@id'] ?? '', /\/whats_app\/templates\/[^/]+\/status$/, 'review is an IRI');
});

test('JSON-LD: WhatsApp::Template create response', async () => {
  const { expanded } = await checkJsonLd(await createdWhatsAppTemplate(), { status: 201, type: WHATSAPP_TEMPLATE });
  assert.equal(expanded[T('templateStatus')]?.[0]?.['@value'], 'pending', 'a new template is pending');
});

test('JSON-LD: every account\'s WhatsApp templates (staff operators)', async () => {
  const { expanded } = await checkJsonLd(await staffWhatsAppTemplates(), { type: `${HYDRA}Collection` });
  assert.ok((expanded[`${HYDRA}member`] ?? []).every((m) => m['@type']?.includes(WHATSAPP_TEMPLATE)), 'members are templates');
});

for (const [name, get, status] of [['created (201)', createdWhatsAppMessage, 201], ['read back', messageWithWhatsAppTemplate, 200]]) {
  test(`JSON-LD: Message sent from a WhatsApp::Template, ${name}, embeds it`, async () => {
    const { expanded } = await checkJsonLd(await get(), { status, type: T('Message') });
    const embedded = expanded[T('whatsAppTemplate')]?.[0];
    assert.deepEqual(embedded?.['@type'], [WHATSAPP_TEMPLATE], 'whatsAppTemplate should be an embedded WhatsApp::Template');
    assert.match(embedded?.['@id'] ?? '', /^https?:\/\/.+\/whats_app\/templates\//, 'the embedded template keeps its IRI');
    assert.equal(expanded[T('channel')]?.[0]?.['@value'], 'whatsapp', 'channel');
    assert.equal(expanded[`${SCHEMA}text`]?.[0]?.['@value'], 'Hi there, please confirm your appointment on 1/1 at 12:00:', 'the rendered body');
  });
}

test('JSON-LD: a WhatsApp BulkSend links its template', async () => {
  const { expanded } = await checkJsonLd(await createdWhatsAppBulkSend(), { status: 202, type: T('BulkSend') });
  assert.match(expanded[T('whatsAppTemplate')]?.[0]?.['@id'] ?? '', /^https?:\/\/.+\/whats_app\/templates\//, 'whatsAppTemplate is an IRI');
  assert.equal(expanded[T('channel')]?.[0]?.['@value'], 'whatsapp', 'channel');
});

test('JSON-LD: ApiDocumentation', async () => {
  const { expanded } = await checkJsonLd(await apiDocumentation(), { type: `${HYDRA}ApiDocumentation` });
  assert.equal(expanded[`${HYDRA}entrypoint`]?.[0]?.['@id'], entryPointUrl, 'hydra:entrypoint');
  const classes = (expanded[`${HYDRA}supportedClass`] ?? []).map((c) => c['@id']);
  for (const name of ['EntryPoint', 'Account', 'User', 'Membership', 'ApiToken', 'Invitation', 'Contact', 'ContactPhone', 'ContactNote', 'ContactFilter', 'OptOut', 'OptOutEvent', 'Message', 'Attachment', 'Conversation', 'ConversationUserInfo', 'Timeline', 'ConversationAssignment', 'WhatsApp::Template']) {
    assert.ok(classes.includes(T(name)), `ApiDocumentation lacks supportedClass <${T(name)}>`);
  }
});

test('JSON-LD: hydra:Error problem document (404, Accept: application/ld+json)', async () => {
  const r = await notFound('application/ld+json');
  assert.equal(r.status, 404, describeResponse(r));
  const { expanded } = await checkJsonLd(r, { status: 404, type: `${HYDRA}Error` });
  assert.equal(expanded[`${HYDRA}statusCode`]?.[0]?.['@value'], 404, 'hydra:statusCode');
});

test('JSON-LD: hydra:Error problem document (404, Accept: application/problem+json)', async () => {
  const r = await notFound('application/problem+json');
  assert.equal(r.status, 404, describeResponse(r));
  // problem+json is not a JSON-LD media type: a JSON-LD consumer reads the
  // context from the Link header, so it must be present and agree with @context.
  const contextLinks = parseLinks(r.headers.get('link')).filter((l) => l.rel === CONTEXT_REL);
  assert.equal(contextLinks.length, 1, `expected one Link rel="${CONTEXT_REL}", got '${r.headers.get('link')}'`);
  const linkedContext = resolve(contextLinks[0].url, r.url);
  assert.equal(linkedContext, resolve(r.json?.['@context'] ?? '', r.url), 'Link context and body @context differ');
  const { expanded } = await checkJsonLd(r, {
    status: 404,
    type: `${HYDRA}Error`,
    mediaType: 'application/problem+json',
    expandContext: linkedContext,
  });
  assert.equal(expanded[`${HYDRA}statusCode`]?.[0]?.['@value'], 404, 'hydra:statusCode');
});

test('contexts are public JSON-LD documents', async () => {
  // Runs after the documents above, which fetched every context they use.
  assert.ok(contextUrlsSeen.size >= 10, `only ${contextUrlsSeen.size} contexts were fetched`);
  for (const url of contextUrlsSeen) {
    const res = await fetch(url);
    assert.equal(res.status, 200, `${url} without credentials`);
    const links = parseLinks(res.headers.get('link'));
    assert.ok(links.some((l) => l.rel === API_DOC_REL), `${url}: no apiDocumentation Link header`);
    await res.arrayBuffer();
  }
});

// ------------------------------------------------------------ Alcaeus

test('Alcaeus: navigate from the entry point by links only', async (t) => {
  // Make sure there is a contact with a phone to reach.
  await createdContact();

  const env = new Environment(alcaeus(), { parent: rdf });
  const client = env.hydra;
  client.defaultHeaders = { Authorization: `Bearer ${token}` };
  const ns = (iri) => env.namedNode(iri);
  const typesOf = (pointer) => pointer.out(ns(RDF_TYPE)).values;

  const load = async (term) => {
    const result = await client.loadResource(term);
    const status = result.response?.xhr?.status;
    assert.equal(status, 200, `Alcaeus load of <${term.value ?? term}> answered ${status}`);
    assert.ok(result.representation, `Alcaeus got no RDF representation of <${term.value ?? term}>`);
    return result;
  };
  /**
   * The node `term` as described by the document `result` was loaded from.
   * Alcaeus keeps every loaded document in one dataset, each in a named graph
   * called after its URL; reading one graph keeps values from repeating.
   */
  const nodeOf = (result, term) => env.clownface({
    dataset: result.representation.root.pointer.dataset,
    term,
    graph: env.namedNode(result.response.requestedUri),
  });

  let entry;
  await t.test('load the entry point and find the API documentation', async () => {
    entry = await load(entryPointUrl);
    const entryNode = nodeOf(entry, env.namedNode(entryPointUrl));
    assert.ok(client.apiDocumentations.length >= 1, 'no API documentation was discovered from the Link header');
    const [docs] = client.apiDocumentations;
    assert.equal(docs.root?.id?.value, `${baseUrl}/api_documentation`, 'API documentation root');
    assert.ok(typesOf(docs.root.pointer).includes(`${HYDRA}ApiDocumentation`), 'API documentation root is not typed hydra:ApiDocumentation');
    assert.ok(entry.representation.root.apiDocumentation, 'entry point resource does not expose its apiDocumentation');
    assert.equal(entry.representation.root.id.value, entryPointUrl, 'Alcaeus root resource of the entry point');
    assert.ok(typesOf(entryNode).includes(T('EntryPoint')), `entry point types: ${typesOf(entryNode)}`);
  });

  let accountTerm;
  await t.test('follow vocab:accounts and load an Account member', async () => {
    const accountsTerm = nodeOf(entry, env.namedNode(entryPointUrl)).out(ns(T('accounts'))).term;
    assert.ok(accountsTerm, 'entry point has no vocab:accounts link');
    const accounts = await load(accountsTerm);
    const collection = nodeOf(accounts, accountsTerm);
    assert.ok(typesOf(collection).includes(`${HYDRA}Collection`), 'accounts is not a hydra:Collection');
    const members = collection.out(ns(`${HYDRA}member`)).terms;
    assert.ok(members.length >= 1, 'accounts collection has no members');
    accountTerm = members[0];
    const acc = await load(accountTerm);
    assert.ok(typesOf(nodeOf(acc, accountTerm)).includes(T('Account')), 'member is not typed vocab:Account');
    accountTerm = { term: accountTerm, result: acc };
  });

  let contactTerm;
  await t.test('follow vocab:contacts and load a Contact member', async () => {
    const contactsTerm = nodeOf(accountTerm.result, accountTerm.term).out(ns(T('contacts'))).term;
    assert.ok(contactsTerm, 'account has no vocab:contacts link');
    const contacts = await load(contactsTerm);
    const members = nodeOf(contacts, contactsTerm).out(ns(`${HYDRA}member`));
    const contactMember = members.toArray().find((m) => typesOf(m).includes(T('Contact')));
    assert.ok(contactMember, 'contacts collection has no vocab:Contact member');
    const loaded = await load(contactMember.term);
    assert.ok(typesOf(nodeOf(loaded, contactMember.term)).includes(T('Contact')), 'loaded contact is not typed vocab:Contact');
    contactTerm = { term: contactMember.term, result: loaded };
  });

  await t.test('find the send operation on the account\'s vocab:messages link in the API documentation', async () => {
    const [docs] = client.apiDocumentations;
    const classes = docs.root.pointer.out(ns(`${HYDRA}supportedClass`));
    const accountClass = classes.filter((c) => c.value === T('Account'));
    assert.equal(accountClass.terms.length, 1, 'the API documentation has no vocab:Account class');
    const messagesProperty = accountClass.out(ns(`${HYDRA}supportedProperty`))
      .filter((p) => p.out(ns(`${HYDRA}property`)).value === T('messages'));
    assert.equal(messagesProperty.terms.length, 1, 'vocab:Account does not support the vocab:messages property');
    const operations = messagesProperty.out(ns(`${HYDRA}property`)).out(ns(`${HYDRA}supportedOperation`));
    const send = operations.filter((o) => o.out(ns(`${HYDRA}method`)).value === 'POST');
    assert.equal(send.terms.length, 1, `vocab:messages has no POST operation (methods: ${operations.out(ns(`${HYDRA}method`)).values})`);
    assert.equal(send.out(ns(`${HYDRA}expects`)).value, T('Message'), 'the send operation expects vocab:Message');
    assert.equal(send.out(ns(`${HYDRA}returns`)).value, T('Message'), 'the send operation returns vocab:Message');
    const messagesLink = nodeOf(accountTerm.result, accountTerm.term).out(ns(T('messages'))).term;
    assert.ok(messagesLink?.termType === 'NamedNode', 'the account has no vocab:messages link to send to');
  });

  await t.test('follow vocab:phones (embedded collection) to a ContactPhone with schema:telephone', async () => {
    const phonesTerm = nodeOf(contactTerm.result, contactTerm.term).out(ns(T('phones'))).term;
    assert.ok(phonesTerm?.termType === 'NamedNode', 'contact has no dereferenceable vocab:phones collection');
    const phones = await load(phonesTerm);
    const collection = nodeOf(phones, phonesTerm);
    assert.ok(typesOf(collection).includes(`${HYDRA}Collection`), 'phones is not a hydra:Collection');
    const [phoneTerm] = collection.out(ns(`${HYDRA}member`)).terms;
    assert.ok(phoneTerm, 'phones collection has no members');
    const phone = await load(phoneTerm);
    const node = nodeOf(phone, phoneTerm);
    assert.ok(typesOf(node).includes(T('ContactPhone')), 'phone is not typed vocab:ContactPhone');
    const telephone = node.out(ns(`${SCHEMA}telephone`)).value;
    assert.match(telephone ?? '', /^\+\d{8,15}$/, `schema:telephone is '${telephone}'`);
  });

  let conversationTerm;
  await t.test('follow vocab:conversations and load a Conversation member', async () => {
    const conversationsTerm = nodeOf(accountTerm.result, accountTerm.term).out(ns(T('conversations'))).term;
    assert.ok(conversationsTerm, 'account has no vocab:conversations link');
    const conversations = await load(conversationsTerm);
    const collection = nodeOf(conversations, conversationsTerm);
    assert.ok(typesOf(collection).includes(`${HYDRA}Collection`), 'conversations is not a hydra:Collection');
    const member = collection.out(ns(`${HYDRA}member`)).toArray().find((m) => typesOf(m).includes(T('Conversation')));
    assert.ok(member, 'conversations collection has no vocab:Conversation member');
    const loaded = await load(member.term);
    assert.ok(typesOf(nodeOf(loaded, member.term)).includes(T('Conversation')), 'loaded conversation is not typed vocab:Conversation');
    conversationTerm = { term: member.term, result: loaded };
  });

  await t.test('follow vocab:timeline to a Timeline of Messages', async () => {
    const timelineTerm = nodeOf(conversationTerm.result, conversationTerm.term).out(ns(T('timeline'))).term;
    assert.ok(timelineTerm?.termType === 'NamedNode', 'conversation has no dereferenceable vocab:timeline');
    const loaded = await load(timelineTerm);
    const node = nodeOf(loaded, timelineTerm);
    assert.ok(typesOf(node).includes(T('Timeline')), 'timeline is not typed vocab:Timeline');
    const members = node.out(ns(`${HYDRA}member`)).toArray();
    assert.ok(members.length >= 1, 'timeline has no hydra:member');
    assert.ok(members.every((m) => typesOf(m).includes(T('Message'))), 'timeline members are not all vocab:Message');
  });
});
