// Sealed bids (R9, issue item 3): a bid's content is AES-256-GCM ciphertext under a key derived with HKDF
// from the server's secret and the procurement process. The key is never stored, in the database or in a
// workflow's history: the API derives it to seal a bid as it comes in, and the worker derives it again to
// open the bids once the opening is recorded. The bid's identity is bound in as associated data, so a
// ciphertext copied onto another bid's row does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const INFO = Buffer.from('skillflow sealed bid v1');

/** What a bid holds under seal: the price and the offer, readable by nobody before the opening. */
export interface BidContent {
  /** the price asked per person, fen */
  pricePerPersonFen: number;
  /** the qualification evidence: requirement key → where the evidence is (document reference) */
  evidence: Record<string, string>;
  /** the technical offer (技术方案) as text or a document reference */
  technicalOffer: string;
}

/** Which bid a ciphertext belongs to: bound in as AES-GCM associated data. */
export interface BidIdentity {
  procurementId: string;
  bidId: string;
  institutionId: string;
  lotNumber: number;
}

function processKey(secret: string, procurementId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from(procurementId, 'utf8'), INFO, 32));
}

function associatedData(id: BidIdentity): Buffer {
  return Buffer.from(`${id.procurementId}|${id.bidId}|${id.institutionId}|${id.lotNumber}`, 'utf8');
}

/** IV ‖ ciphertext ‖ tag: what the Bid row stores. */
export function sealBid(secret: string, id: BidIdentity, content: BidContent): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', processKey(secret, id.procurementId), iv);
  cipher.setAAD(associatedData(id));
  const body = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Opens a sealed bid; throws if the ciphertext, the identity or the secret does not match. */
export function openBid(secret: string, id: BidIdentity, sealed: Uint8Array): BidContent {
  const buf = Buffer.from(sealed);
  if (buf.length < IV_BYTES + TAG_BYTES) throw new Error('sealed bid too short');
  const decipher = createDecipheriv('aes-256-gcm', processKey(secret, id.procurementId), buf.subarray(0, IV_BYTES));
  decipher.setAAD(associatedData(id));
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  const plain = Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as BidContent;
}
