/** Pauses or resumes a watch (PATCH paused); the list and the watch's page show the new state. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Watch } from '../api/types';
import { ErrorNote } from '../layout/states';

export function PauseWatchButton({ watch, name }: { watch: Watch; name: string }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/watches/{id}', {
          params: { path: { id: watch.id } },
          body: { paused: !watch.paused },
        }),
        watch.paused ? 'Could not resume the watch' : 'Could not pause the watch',
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(['watch', watch.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['watches'] });
    },
  });
  const verb = watch.paused ? 'Resume' : 'Pause';
  return (
    <>
      <button
        type="button"
        className="secondary"
        aria-label={`${verb} ${name}`}
        onClick={() => toggle.mutate()}
        disabled={toggle.isPending}
      >
        {verb}
      </button>
      {toggle.isError && <ErrorNote error={toggle.error} />}
    </>
  );
}
