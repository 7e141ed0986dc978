package io.tierdns.node.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.exceptions.response.HateoasErrorResponseProcessor;
import io.tierdns.authoritative.edit.ZoneEditException;
import io.tierdns.node.api.PdnsModel.ErrorJson;
import jakarta.inject.Singleton;

/**
 * Every error of the admin API, ours and Micronaut's (bad JSON, unknown path, wrong method), is
 * answered as PowerDNS does: {@code {"error": "..."}} with the status code.
 */
public final class ApiErrors {

  private ApiErrors() {}

  /** The HTTP status of a rejected zone edit, as PowerDNS uses them. */
  public static int status(ZoneEditException e) {
    return switch (e.kind()) {
      case UNKNOWN_ZONE -> 404;
      case ZONE_EXISTS -> 409;
      case REFUSED -> 403;
      default -> 422;
    };
  }

  /** Replaces Micronaut's HATEOAS error bodies. */
  @Singleton
  @Replaces(HateoasErrorResponseProcessor.class)
  public static class PdnsErrorResponseProcessor implements ErrorResponseProcessor<ErrorJson> {
    @Override
    public MutableHttpResponse<ErrorJson> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
      String message =
          context.getErrors().isEmpty()
              ? response.getStatus().getReason()
              : context.getErrors().get(0).getMessage();
      return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(new ErrorJson(message));
    }
  }

  @Singleton
  public static class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorJson>> {
    @Override
    public HttpResponse<ErrorJson> handle(HttpRequest request, ApiException e) {
      return HttpResponse.<ErrorJson>status(HttpStatus.valueOf(e.status())).body(new ErrorJson(e.getMessage()));
    }
  }

  @Singleton
  public static class ZoneEditExceptionHandler
      implements ExceptionHandler<ZoneEditException, HttpResponse<ErrorJson>> {
    @Override
    public HttpResponse<ErrorJson> handle(HttpRequest request, ZoneEditException e) {
      return HttpResponse.<ErrorJson>status(HttpStatus.valueOf(status(e))).body(new ErrorJson(e.getMessage()));
    }
  }
}
