package dev.switchboard.safety.rest;

import dev.switchboard.safety.audit.AuditChain;
import dev.switchboard.safety.audit.AuditLog;
import dev.switchboard.safety.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Audit-chain verification for tooling. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditApi {
  private final AuditLog audit;

  public AuditApi(AuditLog audit) {
    this.audit = audit;
  }

  @GET
  @Path("verify")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Verify the hash chain",
      description = "200 when intact; 409 with the first broken record when not.")
  public Response verify() {
    AuditChain.Verification v = audit.verify();
    return Response.status(v.intact() ? 200 : 409).entity(v).build();
  }
}
