/** Why a sync operation was refused. */
export enum SyncExceptionCode {
  /** No repository row with that id (discovery has not seen it). */
  REPOSITORY_NOT_FOUND = 'SYNC_REPOSITORY_NOT_FOUND',
}

/** A refused sync operation, with a code the callers can map. */
export class SyncException extends Error {
  constructor(
    message: string,
    readonly code: SyncExceptionCode,
  ) {
    super(message);
    this.name = 'SyncException';
  }
}
