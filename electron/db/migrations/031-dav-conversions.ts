/** What a calendar or address-book copy converted, kept with the collection so a pass skipped by its change tags still lists it. */
export const davConversionsSchema = `
-- The per-collection conversion list (JSON: field, rule, item count) and the number of items the
-- target cannot hold at all, from the last complete pass.
ALTER TABLE dav_collections ADD COLUMN conversions_json TEXT;
ALTER TABLE dav_collections ADD COLUMN not_carried INTEGER NOT NULL DEFAULT 0;
`;
