/**
 * Sends prepared requests with axios over keep-alive connections and turns whatever happens
 * into one Outcome. Never throws for a network or platform failure: that is an outcome too.
 */
import { createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosRequestConfig } from 'axios';
import FormData from 'form-data';
import type { Outcome } from '../../shared/platform/outcome.ts';
import { classifyAnswer, classifyRefusal, readAnswer } from './classify.ts';
import { diagnoseSignature } from './diagnose.ts';
import type { PreparedRequest } from './prepare.ts';
import { redactSecret } from './sign.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface PlatformClientOptions {
  /** No answer within this long (default 10 s) is a `retry`. */
  timeoutMs?: number;
  /** Connections kept open per host (default 8). */
  maxSockets?: number;
}

export interface SendOptions {
  signal?: AbortSignal;
}

export interface PlatformClient {
  send(request: PreparedRequest, options?: SendOptions): Promise<Outcome>;
  close(): void;
}

function formBody(request: PreparedRequest): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(request.params)) {
    form.append(k, v, { contentType: 'text/plain; charset=UTF-8' });
  }
  for (const f of request.files) {
    // Streamed from disk at send time; knownLength lets us send a Content-Length without reading it.
    form.append(f.field, createReadStream(f.path, { highWaterMark: 256 * 1024 }), {
      filename: f.name,
      knownLength: f.size,
    });
  }
  return form;
}

function networkError(err: unknown): string {
  if (axios.isAxiosError(err)) {
    const code = err.code ?? 'ERR_NETWORK';
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return `TIMEOUT: ${err.message}`;
    return `${code}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * The outcome with the secret masked (***) wherever the platform echoed it (message, hint, error, the plain
 * text in the diagnosis): done before anything is stored, shown, exported or logged.
 */
export function redactOutcome(o: Outcome, secret: string): Outcome {
  const r = (v: string | null) => (v === null ? null : redactSecret(v, secret));
  const d = o.diagnosis;
  return {
    ...o,
    message: r(o.message),
    hint: r(o.hint),
    error: r(o.error),
    diagnosis: d && {
      ...d,
      ours: redactSecret(d.ours, secret),
      theirs: redactSecret(d.theirs, secret),
      fields: d.fields.map((f) => ({ field: f.field, ours: r(f.ours), theirs: r(f.theirs) })),
      summary: redactSecret(d.summary, secret),
    },
  };
}

export function createPlatformClient(options: PlatformClientOptions = {}): PlatformClient {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxSockets = options.maxSockets ?? 8;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });

  async function send(request: PreparedRequest, sendOptions: SendOptions = {}): Promise<Outcome> {
    const config: AxiosRequestConfig = {
      method: 'POST',
      url: request.url,
      timeout,
      httpAgent,
      httpsAgent,
      proxy: false,
      maxRedirects: 0,
      // No maxBodyLength: axios's default (-1) is unlimited and pipes the form straight into the request.
      // Setting it (even to Infinity) routes the body through a pipeline that never frees the socket.
      maxContentLength: 4 * 1024 * 1024,
      responseType: 'arraybuffer',
      validateStatus: () => true,
      signal: sendOptions.signal,
    };
    if (request.body !== null) {
      config.data = Buffer.from(request.body, 'utf8');
      config.headers = { ...request.headers };
    } else {
      const form = formBody(request);
      config.data = form;
      config.headers = { ...form.getHeaders(), 'Content-Length': String(form.getLengthSync()) };
    }
    const started = performance.now();
    try {
      const response = await axios.request<ArrayBuffer>(config);
      const latencyMs = Math.round(performance.now() - started);
      const text = Buffer.from(response.data).toString('utf8');
      const answer = readAnswer(text);
      const kind = classifyAnswer(request.endpoint, response.status, answer);
      const hint = answer?.hint ?? null;
      const refusedSignature = (kind === 'auth' && answer?.code === '401') || (kind === 'ignored' && !!hint);
      const diagnosis = refusedSignature ? diagnoseSignature(request.plainMasked, hint) : null;
      return {
        outcome: classifyRefusal(kind, diagnosis),
        code: answer?.code ?? null,
        message: answer?.message ?? null,
        hint,
        seqno: answer?.seqno ?? null,
        httpStatus: response.status,
        latencyMs,
        error: answer ? null : `无法读取的应答 (HTTP ${response.status}): ${text.slice(0, 200)}`,
        diagnosis,
      };
    } catch (err) {
      return {
        outcome: 'retry',
        code: null,
        message: null,
        hint: null,
        seqno: null,
        httpStatus: null,
        latencyMs: Math.round(performance.now() - started),
        error: networkError(err),
        diagnosis: null,
      };
    }
  }

  return {
    send,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
