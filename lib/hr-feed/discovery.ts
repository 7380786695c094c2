import SCIMMY from "scimmy";
import { CORE, ENTERPRISE, PORTAL } from "./scim-user";
import { MAX_BULK_OPERATIONS } from "./bulk";
import { MAX_PAGE } from "./users";
import { MAX_SCIM_BODY } from "./route";

// What the HR feed supports (RFC 7643 §5–7), for HR systems that configure themselves from it.

export function serviceProviderConfig(base: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    documentationUri: `${base.replace(/\/scim\/v2$/, "")}/api/v1/docs`,
    patch: { supported: true },
    bulk: { supported: true, maxOperations: MAX_BULK_OPERATIONS, maxPayloadSize: MAX_SCIM_BODY },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Portal API token",
        description: "A portal API token with the hr:write operation, as Authorization: Bearer 4a_…",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

const portalSchema = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
  id: PORTAL,
  name: "PortalUser",
  description: "The portal's facts about a person: employment type, vendor, sponsor and contract end (third parties, R10).",
  attributes: [
    {
      name: "employmentType",
      type: "string",
      multiValued: false,
      required: false,
      canonicalValues: ["EMPLOYEE", "THIRD_PARTY"],
      mutability: "immutable",
      returned: "default",
      uniqueness: "none",
      caseExact: true,
    },
    {
      name: "vendor",
      type: "string",
      multiValued: false,
      required: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "none",
      caseExact: true,
      description: "The vendor's name (third parties).",
    },
    {
      name: "sponsor",
      type: "string",
      multiValued: false,
      required: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "none",
      caseExact: true,
      description: "The sponsoring employee's number (third parties).",
    },
    {
      name: "contractEndsOn",
      type: "string",
      multiValued: false,
      required: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "none",
      description: "YYYY-MM-DD (third parties).",
    },
    {
      name: "status",
      type: "string",
      multiValued: false,
      required: false,
      canonicalValues: ["ACTIVE", "SUSPENDED", "LEFT"],
      mutability: "readOnly",
      returned: "default",
      uniqueness: "none",
    },
  ],
};

export function schemas(base: string) {
  const list = [SCIMMY.Schemas.User.definition.describe(), SCIMMY.Schemas.EnterpriseUser.definition.describe(), portalSchema].map((s) => ({
    ...(JSON.parse(JSON.stringify(s)) as object),
    meta: { resourceType: "Schema", location: `${base}/Schemas/${(s as { id: string }).id}` },
  }));
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    totalResults: list.length,
    startIndex: 1,
    itemsPerPage: list.length,
    Resources: list,
  };
}

export function resourceTypes(base: string) {
  const user = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "A person on the portal's staff record",
    schema: CORE,
    schemaExtensions: [
      { schema: ENTERPRISE, required: false },
      { schema: PORTAL, required: false },
    ],
    meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
  };
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    totalResults: 1,
    startIndex: 1,
    itemsPerPage: 1,
    Resources: [user],
  };
}
