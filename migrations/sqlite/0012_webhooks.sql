-- twin of migrations/postgres/0012_webhooks.sql
-- Webhook endpoints, the events each hears, and one delivery per endpoint and
-- event, queued in the transaction that records the event, with every attempt.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    -- JSON array of the event types as subscribed.
    events TEXT NOT NULL,
    -- whsec_ secrets sign deliveries, so they are kept, not digested; the previous
    -- one signs beside the new one until previous_secret_until.
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_until BIGINT,
    enabled BIGINT NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    -- Since when every attempt has failed (NULL while deliveries succeed).
    failing_since BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_webhooks_company ON webhooks (company_id, id);

-- The event types each endpoint hears, `lead.updated` spelled out into every kind
-- of lead update, for the join that queues deliveries.
CREATE TABLE webhook_subscriptions (
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (webhook_id, kind)
);
CREATE INDEX ix_webhook_subscriptions_kind ON webhook_subscriptions (company_id, kind);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    -- pending, delivered or failed (given up).
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- The worker sending it now, and until when its claim holds.
    claimed_by TEXT,
    claimed_until BIGINT,
    last_status BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    CONSTRAINT uq_webhook_deliveries_event UNIQUE (webhook_id, event_id)
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at BIGINT NOT NULL,
    status_code BIGINT,
    latency_ms BIGINT NOT NULL,
    error TEXT,
    response_excerpt TEXT
);
CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
