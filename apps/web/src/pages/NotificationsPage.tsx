/**
 * Where alerts go besides the feed: webhooks (add with kind and label filters, edit them, test
 * ping, delivery log with resending dead deliveries, rotate the signing secret, pause, remove)
 * and email recipients (add, which mails a confirmation link; edit filters and digest; remove).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { allPages, api, unwrap } from '../api/client';
import type { CreatedWebhook, EmailRecipient, Webhook, WebhookDeliveryAttempt } from '../api/types';
import { formatAgo, formatDateTime } from '../format';
import { Empty, ErrorNote, Loading } from '../layout/states';
import { TableScroll } from '../layout/TableScroll';
import { channelFilterOf, describeFilter } from './channel-filter';
import { ChannelFilterFields } from './ChannelFilterFields';

/** The old secret keeps signing beside the new one for a day, so receivers can switch over. */
const ROTATION_GRACE_SECONDS = 86_400;

function useWebhooks() {
  return useQuery({
    queryKey: ['webhooks'],
    queryFn: () =>
      allPages<Webhook>((page_token) =>
        unwrap(
          api.GET('/v1/webhooks', { params: { query: { page_size: 100, page_token } } }),
          'Could not load your webhooks',
        ),
      ),
  });
}

function useEmailRecipients() {
  return useQuery({
    queryKey: ['email-recipients'],
    queryFn: () =>
      allPages<EmailRecipient>((page_token) =>
        unwrap(
          api.GET('/v1/email-recipients', { params: { query: { page_size: 100, page_token } } }),
          'Could not load your email recipients',
        ),
      ),
  });
}

function SecretOnce({ webhook, onDone }: { webhook: CreatedWebhook; onDone: () => void }) {
  return (
    <div className="new-key" role="status" data-testid="webhook-secret">
      <p>
        The signing secret for <strong>{webhook.url}</strong>. Copy it now: it is shown only once.
      </p>
      <code className="secret">{webhook.secret}</code>
      <button type="button" className="secondary" onClick={onDone}>
        I have stored it
      </button>
    </div>
  );
}

function ResendButton({
  webhookId,
  attempt,
}: {
  webhookId: string;
  attempt: WebhookDeliveryAttempt;
}) {
  const queryClient = useQueryClient();
  const resend = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/webhooks/{id}/deliveries/{eventId}/resend', {
          params: { path: { id: webhookId, eventId: attempt.eventId } },
        }),
        'Could not send the delivery again',
      ),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: ['webhook-deliveries', webhookId] }),
  });
  if (resend.isSuccess) return <span role="status">Sent again</span>;
  return (
    <>
      <button
        type="button"
        className="secondary"
        aria-label={`Send again: the ${attempt.eventType} of ${formatDateTime(attempt.startedAt)}`}
        onClick={() => resend.mutate()}
        disabled={resend.isPending}
      >
        Send again
      </button>
      {resend.isError && <ErrorNote error={resend.error} />}
    </>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', webhookId],
    refetchInterval: 3000,
    queryFn: () =>
      unwrap(
        api.GET('/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhookId }, query: { page_size: 20 } },
        }),
        'Could not load the delivery log',
      ).then((page): WebhookDeliveryAttempt[] => page.items),
  });
  if (deliveries.isPending) return <Loading what="deliveries" />;
  if (deliveries.isError)
    return <ErrorNote error={deliveries.error} retry={() => void deliveries.refetch()} />;
  if (deliveries.data.length === 0)
    return <Empty title="Nothing delivered yet. Send a test ping to try the endpoint." />;
  // Newest first: a dead event is offered again on its newest attempt only.
  const offered = new Set<string>();
  return (
    <TableScroll label="Delivery log">
      <table className="deliveries">
        <caption className="visually-hidden">The latest delivery attempts</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Answer</th>
            <th scope="col" className="num">
              Latency
            </th>
            <th scope="col">Outcome</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.map((attempt) => {
            const resendable = attempt.delivery === 'dead' && !offered.has(attempt.eventId);
            offered.add(attempt.eventId);
            return (
              <tr key={attempt.id}>
                <td>
                  <time dateTime={attempt.startedAt}>{formatDateTime(attempt.startedAt)}</time>
                </td>
                <td>{attempt.eventType}</td>
                <td>{attempt.status ?? attempt.error ?? 'no answer'}</td>
                <td className="num">{attempt.latencyMs} ms</td>
                <td>{attempt.delivery}</td>
                <td>
                  {resendable && (
                    <ResendButton key={attempt.id} webhookId={webhookId} attempt={attempt} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

function WebhookFilterForm({ webhook, onDone }: { webhook: Webhook; onDone: () => void }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (form: FormData) =>
      unwrap(
        api.PATCH('/v1/webhooks/{id}', {
          params: { path: { id: webhook.id } },
          body: channelFilterOf(form),
        }),
        'Could not save the filters',
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
      onDone();
    },
  });
  return (
    <form
      className="channel-edit"
      aria-label={`Filters of ${webhook.url}`}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(new FormData(event.currentTarget));
      }}
    >
      <ChannelFilterFields idPrefix={`webhook-${webhook.id}`} initial={webhook} />
      {save.isError && <ErrorNote error={save.error} />}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save filters
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function WebhookItem({
  webhook,
  onSecret,
}: {
  webhook: Webhook;
  onSecret: (created: CreatedWebhook) => void;
}) {
  const queryClient = useQueryClient();
  const [showLog, setShowLog] = useState(false);
  const [editing, setEditing] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const ping = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/webhooks/{id}/test', { params: { path: { id: webhook.id } } }),
        'Could not send the ping',
      ),
    onSuccess: () => {
      setShowLog(true);
      void queryClient.invalidateQueries({ queryKey: ['webhook-deliveries', webhook.id] });
    },
  });
  const rotate = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/webhooks/{id}/rotate-secret', {
          params: { path: { id: webhook.id } },
          body: { graceSeconds: ROTATION_GRACE_SECONDS },
        }),
        'Could not rotate the secret',
      ),
    onSuccess: (created) => {
      onSecret(created);
      refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/webhooks/{id}', {
          params: { path: { id: webhook.id } },
          body: { enabled: !webhook.enabled },
        }),
        webhook.enabled ? 'Could not pause the webhook' : 'Could not resume the webhook',
      ),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/v1/webhooks/{id}', { params: { path: { id: webhook.id } } }),
        'Could not remove the webhook',
      ),
    onSuccess: refresh,
  });
  const error = ping.error ?? rotate.error ?? toggle.error ?? remove.error;
  return (
    <li className="channel" data-testid="webhook">
      <p className="channel-title">
        <span className="url">{webhook.url}</span>{' '}
        <span
          className={`badge ${webhook.status === 'active' ? 'badge-ok' : webhook.status === 'paused' ? 'badge-paused' : 'badge-error'}`}
        >
          {webhook.status}
          {webhook.disabledReason ? `: ${webhook.disabledReason}` : ''}
        </span>
      </p>
      <p className="hint">
        {describeFilter(webhook)}
        {webhook.previousSecretExpiresAt &&
          `; the previous secret signs until ${formatDateTime(webhook.previousSecretExpiresAt)}`}
      </p>
      <div className="actions">
        <button type="button" onClick={() => ping.mutate()} disabled={ping.isPending}>
          Send test ping
        </button>
        <button
          type="button"
          className="secondary"
          aria-expanded={showLog}
          onClick={() => setShowLog(!showLog)}
        >
          Delivery log
        </button>
        <button
          type="button"
          className="secondary"
          aria-expanded={editing}
          onClick={() => setEditing(!editing)}
        >
          Edit filters
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => rotate.mutate()}
          disabled={rotate.isPending}
        >
          Rotate secret
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => toggle.mutate()}
          disabled={toggle.isPending}
        >
          {webhook.enabled ? 'Pause' : 'Resume'}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => remove.mutate()}
          disabled={remove.isPending}
        >
          Remove
        </button>
      </div>
      {error && <ErrorNote error={error} />}
      {editing && <WebhookFilterForm webhook={webhook} onDone={() => setEditing(false)} />}
      {showLog && <Deliveries webhookId={webhook.id} />}
    </li>
  );
}

function WebhooksSection() {
  const queryClient = useQueryClient();
  const webhooks = useWebhooks();
  const [secret, setSecret] = useState<CreatedWebhook | null>(null);
  const create = useMutation({
    mutationFn: (form: FormData) =>
      unwrap(
        api.POST('/v1/webhooks', {
          body: {
            url: String(form.get('url')).trim(),
            ...channelFilterOf(form),
            watchId: null,
          },
        }),
        'Could not add the webhook',
      ),
    onSuccess: (created) => {
      setSecret(created);
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate(new FormData(event.currentTarget));
    event.currentTarget.reset();
  }
  return (
    <section aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="hint">Each alert is POSTed to these addresses, signed as Standard Webhooks.</p>
      <form className="key-form" aria-label="Add a webhook" onSubmit={submit}>
        <label className="grow">
          Endpoint URL
          <input
            name="url"
            type="url"
            required
            placeholder="https://hooks.example.com/shelfwatch"
          />
        </label>
        <ChannelFilterFields idPrefix="new-webhook" />
        <button type="submit" disabled={create.isPending}>
          Add webhook
        </button>
      </form>
      {create.isError && <ErrorNote error={create.error} />}
      {secret && <SecretOnce webhook={secret} onDone={() => setSecret(null)} />}
      {webhooks.isPending ? (
        <Loading what="your webhooks" />
      ) : webhooks.isError ? (
        <ErrorNote error={webhooks.error} retry={() => void webhooks.refetch()} />
      ) : webhooks.data.length === 0 ? (
        <Empty title="No webhooks yet." />
      ) : (
        <ul className="channels">
          {webhooks.data.map((webhook) => (
            <WebhookItem key={webhook.id} webhook={webhook} onSecret={setSecret} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One mail per alert, or a digest every so many minutes: a checkbox and its interval. */
function DigestFields({ initialMinutes }: { initialMinutes: number | null }) {
  const [digest, setDigest] = useState(initialMinutes !== null);
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          name="digest"
          checked={digest}
          onChange={(event) => setDigest(event.target.checked)}
        />
        One digest mail
      </label>
      {digest && (
        <label>
          every (minutes)
          <input
            name="digestMinutes"
            type="number"
            min={5}
            max={10_080}
            defaultValue={initialMinutes ?? 60}
            required
          />
        </label>
      )}
    </>
  );
}

function deliveryOf(form: FormData) {
  const digest = form.get('digest') === 'on';
  return {
    delivery: digest ? ('digest' as const) : ('each_alert' as const),
    digestIntervalMinutes: digest ? Number(form.get('digestMinutes')) : null,
  };
}

function EmailRecipientForm({
  recipient,
  onDone,
}: {
  recipient: EmailRecipient;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (form: FormData) =>
      unwrap(
        api.PATCH('/v1/email-recipients/{id}', {
          params: { path: { id: recipient.id } },
          body: { ...channelFilterOf(form), ...deliveryOf(form) },
        }),
        'Could not save the recipient',
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['email-recipients'] });
      onDone();
    },
  });
  return (
    <form
      className="channel-edit"
      aria-label={`Settings of ${recipient.address}`}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(new FormData(event.currentTarget));
      }}
    >
      <ChannelFilterFields idPrefix={`email-${recipient.id}`} initial={recipient} />
      <div className="key-form">
        <DigestFields initialMinutes={recipient.digestIntervalMinutes} />
      </div>
      {save.isError && <ErrorNote error={save.error} />}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EmailRecipientItem({ recipient }: { recipient: EmailRecipient }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/v1/email-recipients/{id}', { params: { path: { id: recipient.id } } }),
        'Could not remove the address',
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['email-recipients'] }),
  });
  return (
    <li className="channel" data-testid="email-recipient">
      <p className="channel-title">
        {recipient.address}{' '}
        <span className={`badge ${recipient.status === 'verified' ? 'badge-ok' : 'badge-waiting'}`}>
          {recipient.status === 'pending_verification'
            ? 'waiting for confirmation'
            : recipient.status}
        </span>
      </p>
      <p className="hint">
        {recipient.delivery === 'digest'
          ? `A digest every ${recipient.digestIntervalMinutes} min`
          : 'One mail per alert'}
        {`; ${describeFilter(recipient)}`}
        {recipient.verificationExpiresAt &&
          `; the link works until ${formatDateTime(recipient.verificationExpiresAt)}`}
        {recipient.verifiedAt && `; confirmed ${formatAgo(recipient.verifiedAt)}`}
      </p>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          aria-label={`Edit ${recipient.address}`}
          aria-expanded={editing}
          onClick={() => setEditing(!editing)}
        >
          Edit
        </button>
        <button
          type="button"
          className="danger"
          aria-label={`Remove ${recipient.address}`}
          onClick={() => remove.mutate()}
          disabled={remove.isPending}
        >
          Remove
        </button>
      </div>
      {remove.isError && <ErrorNote error={remove.error} />}
      {editing && <EmailRecipientForm recipient={recipient} onDone={() => setEditing(false)} />}
    </li>
  );
}

function EmailSection() {
  const queryClient = useQueryClient();
  const recipients = useEmailRecipients();
  // Remounts the digest fields, so a reset form also unticks the digest.
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: (form: FormData) =>
      unwrap(
        api.POST('/v1/email-recipients', {
          body: {
            address: String(form.get('address')).trim(),
            ...channelFilterOf(form),
            watchId: null,
            ...deliveryOf(form),
          },
        }),
        'Could not add the address',
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['email-recipients'] }),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate(new FormData(event.currentTarget));
    event.currentTarget.reset();
    setFormKey(formKey + 1);
  }
  return (
    <section aria-labelledby="email-heading">
      <h2 id="email-heading">Email recipients</h2>
      <p className="hint">A confirmation link is mailed first; alerts follow once it is opened.</p>
      <form className="key-form" aria-label="Add an email recipient" onSubmit={submit}>
        <label className="grow">
          Email address
          <input name="address" type="email" required placeholder="ada@example.com" />
        </label>
        <DigestFields key={formKey} initialMinutes={null} />
        <ChannelFilterFields key={`filter-${formKey}`} idPrefix="new-email" />
        <button type="submit" disabled={create.isPending}>
          Add address
        </button>
      </form>
      {create.isError && <ErrorNote error={create.error} />}
      {recipients.isPending ? (
        <Loading what="your email recipients" />
      ) : recipients.isError ? (
        <ErrorNote error={recipients.error} retry={() => void recipients.refetch()} />
      ) : recipients.data.length === 0 ? (
        <Empty title="No email recipients yet." />
      ) : (
        <ul className="channels">
          {recipients.data.map((recipient) => (
            <EmailRecipientItem key={recipient.id} recipient={recipient} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function NotificationsPage() {
  return (
    <>
      <h1>Notifications</h1>
      <WebhooksSection />
      <EmailSection />
    </>
  );
}
