/**
 * The commands that fill this workspace, with its URI and backend filled in (2021 showed
 * copy-paste Python scripts; ours is the CLI). Pure, so the page and its test agree.
 */
export function importInstructions(o: { workspaceUri: string; backendUri: string | null; backendLabel?: string; recordingId?: string }): { title: string; lines: string[] }[] {
  const backend = o.backendUri ?? 'gs://<bucket>/sortingview-backends/<label>.json';
  const label = o.backendLabel ?? '<label>';
  return [
    {
      title: 'On the machine that holds the data, point the CLI at this deployment',
      lines: [`export SORTINGVIEW_BACKEND=${backend}`],
    },
    {
      title: 'Add a recording (a SpikeGLX/Open Ephys folder, an NWB file, raw.mda, a recording .json, or a sha1:// object URI)',
      lines: [`sortingview workspace add-recording ${o.workspaceUri} /path/to/recording --label my-recording`],
    },
    {
      title: 'Add a sorting of that recording (phy/Kilosort folder, firings.mda, NWB units, npz, …)',
      lines: [`sortingview workspace add-sorting ${o.workspaceUri} /path/to/sorting --recording-id ${o.recordingId ?? 'R-xxxxxxxxxxxx'} --label my-sorting`],
    },
    {
      title: 'Keep the relay running next to the data, serving the folders the objects point into',
      lines: [`sortingview-start-backend --label ${label} --data-dir /path/to/data`],
    },
    {
      title: 'List what the workspace holds',
      lines: [`sortingview workspace show ${o.workspaceUri}`],
    },
  ];
}
