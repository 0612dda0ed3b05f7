export { SchemaRegistryClient, SchemaRegistryUnreachable, type SchemaRegistryClientOptions } from "./client.js";
export { registerSchemas, schemaPlans, schemaRegistryWanted, topicSchema, type SchemaPlan } from "./register.js";
