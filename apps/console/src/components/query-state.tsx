import { Alert, Button, Empty, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';

/** The codes (`extensions.code`) of a GraphQL error, without repeats. */
export function errorCodes(error: CombinedError): string[] {
  return [...new Set(error.graphQLErrors.map((item) => item.extensions?.code).filter((code): code is string => typeof code === 'string'))];
}

/** A request's error as people read it: the api's messages and codes, or why the api could not be reached. */
export function QueryError({ error, onRetry }: { error: CombinedError; onRetry?: () => void }) {
  const { t } = useTranslation();
  const codes = errorCodes(error);
  const description = error.networkError
    ? t('state.networkError', { message: error.networkError.message })
    : error.graphQLErrors.map((item) => item.message).join(' · ');
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={t('state.error')}
      description={
        <>
          <div>{description}</div>
          {codes.length > 0 && <div>{t('state.code', { code: codes.join(', ') })}</div>}
        </>
      }
      action={onRetry ? <Button onClick={onRetry}>{t('state.retry')}</Button> : undefined}
    />
  );
}

/**
 * The three states every page shows before its content: loading (a spinner that says so), error
 * ({@link QueryError}) and empty (`emptyText`, saying what is missing and how to get it).
 */
export function QueryState(props: {
  fetching: boolean;
  error?: CombinedError;
  empty: boolean;
  emptyText: ReactNode;
  onRetry?: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  if (props.error) return <QueryError error={props.error} onRetry={props.onRetry} />;
  if (props.fetching && props.empty) return <Spin description={t('state.loading')}><div style={{ minHeight: 80 }} /></Spin>;
  if (props.empty) return <Empty description={props.emptyText} />;
  return <>{props.children}</>;
}
