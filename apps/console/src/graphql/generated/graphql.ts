/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What happened to a sync request. */
export type SyncRequestStatus =
  /** A discovery job for this ecosystem was already waiting; it will do the work. */
  | 'DEDUPLICATED'
  /** A discovery job for this ecosystem is running; this request runs after it. */
  | 'DEFERRED'
  /** A new discovery job was queued. */
  | 'QUEUED';

/** State of one resource's sync. */
export type SyncStatus =
  /** The last run failed (see lastError); the cursor stays at the last written page. */
  | 'FAILED'
  /** Not running; the last run succeeded, or none has run yet. */
  | 'IDLE'
  /** A run is in progress. */
  | 'RUNNING';

/** What a tracked source covers. */
export type TrackedSourceKind =
  /** Every repository of a GitHub organisation (name = its login). */
  | 'ORGANIZATION'
  /** One repository (name = "owner/name"). */
  | 'REPOSITORY'
  /** Every repository of a GitHub user (name = the login). */
  | 'USER';

/** How the request is authenticated. */
export type ViewerKind =
  /** No credentials: the public. */
  | 'ANONYMOUS'
  /** An API token (`Authorization: Bearer cmb_…`). */
  | 'API_TOKEN'
  /** A person signed in through GitHub (the session cookie). */
  | 'SESSION';

/** A role of the viewer. */
export type ViewerRole =
  /** Everything: configuration, personal data, every mutation. */
  | 'ADMIN'
  /** Scores the submissions assigned in the hackathons they judge (see `Viewer.judgedHackathonIds`). */
  | 'JUDGE'
  /** A signed-in person acting as their own member: profile, e-mail preferences, registrations, teams, submissions. */
  | 'MEMBER'
  /** Manages the hackathons of the ecosystems or the hackathons granted (see `Viewer.grants`). */
  | 'ORGANIZER';

export type EcosystemsQueryVariables = Exact<{ [key: string]: never; }>;


export type EcosystemsQuery = { ecosystems: Array<{ slug: string, name: string, repositoryCount: number }> };

export type EcosystemQueryVariables = Exact<{
  slug: string;
}>;


export type EcosystemQuery = { ecosystem: { slug: string, name: string, repositoryCount: number, trackedSources: Array<{ id: number, kind: TrackedSourceKind, name: string, paused: boolean, createdAt: string }> } | null, repositories: Array<{ id: string, fullName: string, isArchived: boolean, syncHealth: { lastSuccessAt: string | null, cursorAgeSeconds: number | null, requests: number, notModified: number, share304: number | null, failingResources: number, runningResources: number, resources: Array<{ resource: string, status: SyncStatus, lastStartedAt: string | null, lastSuccessAt: string | null, cursorAgeSeconds: number | null, requests: number, share304: number | null, items: number, lastError: string | null }> } }> };

export type AddTrackedSourceMutationVariables = Exact<{
  ecosystem: string;
  kind: TrackedSourceKind;
  name: string;
}>;


export type AddTrackedSourceMutation = { addTrackedSource: { created: boolean, trackedSource: { id: number, kind: TrackedSourceKind, name: string, paused: boolean } } };

export type StartSyncMutationVariables = Exact<{
  ecosystem: string;
}>;


export type StartSyncMutation = { startSync: { jobId: string, status: SyncRequestStatus } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { kind: ViewerKind, githubLogin: string | null, roles: Array<ViewerRole> } };


export const EcosystemsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Ecosystems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ecosystems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"repositoryCount"}}]}}]}}]} as unknown as DocumentNode<EcosystemsQuery, EcosystemsQueryVariables>;
export const EcosystemDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Ecosystem"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"slug"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ecosystem"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"slug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"repositoryCount"}},{"kind":"Field","name":{"kind":"Name","value":"trackedSources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"paused"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"repositories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ecosystem"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"isArchived"}},{"kind":"Field","name":{"kind":"Name","value":"syncHealth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lastSuccessAt"}},{"kind":"Field","name":{"kind":"Name","value":"cursorAgeSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"notModified"}},{"kind":"Field","name":{"kind":"Name","value":"share304"}},{"kind":"Field","name":{"kind":"Name","value":"failingResources"}},{"kind":"Field","name":{"kind":"Name","value":"runningResources"}},{"kind":"Field","name":{"kind":"Name","value":"resources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resource"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastStartedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSuccessAt"}},{"kind":"Field","name":{"kind":"Name","value":"cursorAgeSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"share304"}},{"kind":"Field","name":{"kind":"Name","value":"items"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]}}]}}]} as unknown as DocumentNode<EcosystemQuery, EcosystemQueryVariables>;
export const AddTrackedSourceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddTrackedSource"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ecosystem"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TrackedSourceKind"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addTrackedSource"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ecosystem"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ecosystem"}}},{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"trackedSource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"paused"}}]}}]}}]}}]} as unknown as DocumentNode<AddTrackedSourceMutation, AddTrackedSourceMutationVariables>;
export const StartSyncDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartSync"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ecosystem"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startSync"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ecosystem"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ecosystem"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<StartSyncMutation, StartSyncMutationVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"githubLogin"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;