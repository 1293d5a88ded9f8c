import { databaseNameOf, quoteIdentifier, withDatabaseName } from './connection-url';

describe('connection URLs', () => {
  it('points a server URL at another database, keeping credentials and parameters', () => {
    const url = withDatabaseName(
      'postgresql://app:s3cret@127.0.0.1:5432/shelfwatch?sslmode=disable',
      'other_db',
    );
    expect(url).toBe('postgresql://app:s3cret@127.0.0.1:5432/other_db?sslmode=disable');
    expect(databaseNameOf(url)).toBe('other_db');
  });

  it('quotes identifiers so a name cannot break out of the statement', () => {
    expect(quoteIdentifier('plain')).toBe('"plain"');
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
  });
});
